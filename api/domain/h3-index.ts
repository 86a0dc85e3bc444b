/**
 * In-memory H3 point index for moving points (volunteers) and static ones (AEDs): exact k-nearest
 * and radius queries by great-circle distance.
 *
 * Resolution: {@link DEFAULT_INDEX_RES} = 9 (h3-js v4 average edge 200.8 m, cell ~0.105 km²).
 * A query costs (cells visited) x ~0.5 us (an h3-js hex string, a hash lookup, scattered memory)
 * plus (points in them) x a few ns (one chord each, over the cell's contiguous run of vectors).
 * Cells dominate, so the coarsest resolution whose disk stays small wins. At city density
 * (1M volunteers within 30 km, ~350/km²) the 20 nearest lie within ~135 m: res 9 answers from
 * 1-2 rings (7-19 cells, ~260 points), res 10 (75.9 m) from ~21 cells, res 11 (28.7 m) from ~100.
 * Measured (test/bench/match.ts, "20 nearest + nearest usable AED", 2-core machine, medians of
 * runs): p50 at 1M res 9 / 10 / 11 = ~40 / ~53 / ~130 us (heap 169 / 228 / 481 MB), at 100k
 * ~42 / ~90 / ~225 us; a naive haversine scan takes ~8.2 ms at 1M.
 * The planner's 4-minute radius (~550 m at 2.3 m/s) is a 3-ring disk at res 9. Sparse sets (a
 * campus's few hundred volunteers) would need many rings, so once a disk's cells cost more than
 * scanning every point, the index scans every point instead: exact either way.
 *
 * Exactness: after rings 0..k the disk is guaranteed to cover diskCoverRadiusM(k) around the query
 * (h3-cover.ts), so the walk stops once the k-th best distance is inside that radius. Ranking uses
 * unit-vector chords (exact, monotone in distance); ties go to the smaller id.
 */
import { latLngToCell } from 'h3-js';
import { DuplicatePointError, InvalidArgumentError, UnknownPointError } from './errors.ts';
import { assertLatLng, assertRes, distanceM } from './geo.ts';
import { diskCellCount } from './h3-cover.ts';
import { cellKey, RingScanner } from './h3-rings.ts';
import { PointSlots, type CellBucket } from './point-slots.ts';
import { squaredChordForDistanceM, writeUnitVector } from './sphere.ts';
import { TopK } from './top-k.ts';
import type { LatLng } from './types.ts';

/** Resolution of the point index and of the H3 cell columns stored with positions. */
export const DEFAULT_INDEX_RES = 9;

/**
 * One visited cell (an h3-js string, a hash lookup, scattered memory) costs about as much as
 * checking this many points in a scan of the contiguous slot arrays (measured ~0.45 us vs ~4.5 ns).
 */
const DEFAULT_CELL_COST_IN_POINTS = 100;

export interface H3PointIndexOptions {
  /** H3 resolution of the buckets; default {@link DEFAULT_INDEX_RES}. */
  res?: number;
  /**
   * A query scans all points instead of walking rings once the disk's cells times this exceeds the
   * point count. Default 100 (measured); 0 always walks rings (tests use it to exercise the walk).
   */
  cellCostInPoints?: number;
}

/** A point found by a query. */
export interface NearPoint {
  id: string;
  distanceM: number;
}

/** Exact nearest-neighbour and radius index over H3 cell buckets. */
export class H3PointIndex {
  readonly res: number;
  private readonly cellCostInPoints: number;
  private readonly slots = new PointSlots();
  private readonly slotOf = new Map<string, number>();
  /** Buckets by {@link cellKey}; a bucket is dropped when its last point leaves. */
  private readonly buckets = new Map<number, CellBucket>();
  private readonly scanner: RingScanner;
  /** Scratch unit vector (query or point being placed). */
  private readonly unit = new Float64Array(3);
  private readonly tieAfter = (a: number, b: number): boolean => this.slots.ids[a]! > this.slots.ids[b]!;

  /** @throws InvalidResolutionError; InvalidArgumentError for a negative cell cost */
  constructor(options: H3PointIndexOptions = {}) {
    this.res = options.res ?? DEFAULT_INDEX_RES;
    assertRes(this.res);
    this.cellCostInPoints = options.cellCostInPoints ?? DEFAULT_CELL_COST_IN_POINTS;
    if (!(this.cellCostInPoints >= 0)) throw new InvalidArgumentError(`invalid cellCostInPoints ${this.cellCostInPoints}`);
    this.scanner = new RingScanner(this.res);
  }

  /** Number of points held. */
  get size(): number {
    return this.slotOf.size;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Position of a point, or undefined. */
  get(id: string): LatLng | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : { lat: this.slots.lat[slot], lng: this.slots.lng[slot] };
  }

  /**
   * Adds a new point.
   * @throws DuplicatePointError when the id is present; InvalidCoordinateError
   */
  insert(id: string, point: LatLng): void {
    if (this.slotOf.has(id)) throw new DuplicatePointError(`point ${id} is already indexed`);
    this.upsert(id, point);
  }

  /**
   * Adds a point or moves it when present.
   * @throws InvalidCoordinateError
   */
  upsert(id: string, point: LatLng): void {
    assertLatLng(point);
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.slots.alloc(id);
      this.slotOf.set(id, slot);
    }
    this.place(slot, point);
  }

  /**
   * Moves a present point.
   * @throws UnknownPointError; InvalidCoordinateError
   */
  move(id: string, point: LatLng): void {
    if (!this.slotOf.has(id)) throw new UnknownPointError(`point ${id} is not indexed`);
    this.upsert(id, point);
  }

  /** Removes a point. @returns whether it was present */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.unbucket(slot);
    this.slotOf.delete(id);
    this.slots.release(slot);
    return true;
  }

  /**
   * The k points nearest to `point` by great-circle distance, nearest first (ties by id).
   * @param filter only points whose id passes are returned
   * @throws InvalidCoordinateError; InvalidArgumentError when k is not a non-negative integer
   */
  nearest(point: LatLng, k: number, filter?: (id: string) => boolean): NearPoint[] {
    assertLatLng(point);
    if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`invalid k ${k}`);
    if (k === 0 || this.size === 0) return [];
    const heap = new TopK(Math.min(k, this.size), this.tieAfter);
    const query = this.scanner.start(point.lat, point.lng);
    writeUnitVector(point.lat, point.lng, this.unit, 0);
    let seen = 0;
    for (let ring = 0; ; ring++) {
      if (diskCellCount(ring) * this.cellCostInPoints > this.size) {
        heap.clear();
        this.offerAll(heap, filter);
        break;
      }
      for (const cell of this.scanner.ring(query, ring)) {
        const bucket = this.buckets.get(cellKey(cell));
        if (bucket !== undefined) seen += this.offerBucket(bucket, heap, filter);
      }
      if (seen >= this.size) break;
      if (heap.bound() <= squaredChordForDistanceM(this.scanner.coverRadiusM(query, ring))) break;
    }
    return Array.from(heap.drainAscending(), (slot) => this.found(slot, point));
  }

  /**
   * Every point within `radiusM` of `point` (great-circle, inclusive), nearest first (ties by id).
   * @throws InvalidCoordinateError; InvalidArgumentError for a negative or non-finite radius
   */
  within(point: LatLng, radiusM: number, filter?: (id: string) => boolean): NearPoint[] {
    assertLatLng(point);
    if (!Number.isFinite(radiusM) || radiusM < 0) throw new InvalidArgumentError(`invalid radiusM ${radiusM}`);
    const query = this.scanner.start(point.lat, point.lng);
    writeUnitVector(point.lat, point.lng, this.unit, 0);
    // Chords pre-filter with a 1 mm slack; the final test is the haversine distance itself.
    const limit = squaredChordForDistanceM(radiusM + 1e-3);
    const hits: number[] = [];
    const rings = this.scanner.ringsToCover(query, radiusM);
    if (diskCellCount(rings) * this.cellCostInPoints > this.size) {
      this.collectAll(limit, hits);
    } else {
      for (let ring = 0; ring <= rings; ring++) {
        for (const cell of this.scanner.ring(query, ring)) {
          const bucket = this.buckets.get(cellKey(cell));
          if (bucket !== undefined) this.collectBucket(bucket, limit, hits);
        }
      }
    }
    return hits
      .filter((slot) => filter === undefined || filter(this.slots.ids[slot]!))
      .map((slot) => this.found(slot, point))
      .filter((hit) => hit.distanceM <= radiusM)
      .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Offers a bucket's points to the heap. @returns how many points the bucket holds */
  private offerBucket(bucket: CellBucket, heap: TopK, filter?: (id: string) => boolean): number {
    const x = this.unit[0];
    const y = this.unit[1];
    const z = this.unit[2];
    const { xyz, slots } = bucket;
    for (let i = 0, o = 0; i < slots.length; i++, o += 3) {
      const dx = xyz[o] - x;
      const dy = xyz[o + 1] - y;
      const dz = xyz[o + 2] - z;
      const key = dx * dx + dy * dy + dz * dz;
      if (key > heap.bound()) continue;
      if (filter !== undefined && !filter(this.slots.ids[slots[i]]!)) continue;
      heap.offer(key, slots[i]);
    }
    return slots.length;
  }

  private collectBucket(bucket: CellBucket, limit: number, hits: number[]): void {
    const x = this.unit[0];
    const y = this.unit[1];
    const z = this.unit[2];
    const { xyz, slots } = bucket;
    for (let i = 0, o = 0; i < slots.length; i++, o += 3) {
      const dx = xyz[o] - x;
      const dy = xyz[o + 1] - y;
      const dz = xyz[o + 2] - z;
      if (dx * dx + dy * dy + dz * dz <= limit) hits.push(slots[i]);
    }
  }

  /** Offers every point, in slot order (contiguous memory: the cheap way to see them all). */
  private offerAll(heap: TopK, filter?: (id: string) => boolean): void {
    const [x, y, z] = [this.unit[0], this.unit[1], this.unit[2]];
    const { ids } = this.slots;
    for (let slot = 0; slot < this.slots.highWater; slot++) {
      if (ids[slot] === undefined) continue;
      const key = this.slots.squaredChord(slot, x, y, z);
      if (key > heap.bound() || (filter !== undefined && !filter(ids[slot]!))) continue;
      heap.offer(key, slot);
    }
  }

  private collectAll(limit: number, hits: number[]): void {
    const [x, y, z] = [this.unit[0], this.unit[1], this.unit[2]];
    for (let slot = 0; slot < this.slots.highWater; slot++) {
      if (this.slots.ids[slot] !== undefined && this.slots.squaredChord(slot, x, y, z) <= limit) hits.push(slot);
    }
  }

  private found(slot: number, point: LatLng): NearPoint {
    return { id: this.slots.ids[slot]!, distanceM: distanceM(point, { lat: this.slots.lat[slot], lng: this.slots.lng[slot] }) };
  }

  private place(slot: number, point: LatLng): void {
    const key = cellKey(latLngToCell(point.lat, point.lng, this.res));
    this.slots.setPosition(slot, point.lat, point.lng);
    const current = this.slots.bucket[slot];
    if (current?.key === key) {
      this.slots.syncBucketVector(slot);
      return;
    }
    if (current !== undefined) this.unbucket(slot);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { key, slots: [], xyz: [] };
      this.buckets.set(key, bucket);
    }
    this.slots.addToBucket(slot, bucket);
  }

  private unbucket(slot: number): void {
    const bucket = this.slots.removeFromBucket(slot);
    if (bucket.slots.length === 0) this.buckets.delete(bucket.key);
  }
}
