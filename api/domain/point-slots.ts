/**
 * Per-point storage of the point index: positions in growable typed arrays, free slots recycled,
 * and the H3 cell buckets that hold the points' unit vectors contiguously (one cache-friendly run
 * per cell, as a query reads whole cells).
 */

import { writeUnitVector } from './sphere.ts';

const INITIAL_CAPACITY = 1024;

/** The points of one H3 cell: slot numbers and interleaved unit vectors (x, y, z). */
export interface CellBucket {
  readonly key: number;
  readonly slots: number[];
  readonly xyz: number[];
}

export class PointSlots {
  lat = new Float64Array(INITIAL_CAPACITY);
  lng = new Float64Array(INITIAL_CAPACITY);
  /** Unit vector (x, y, z) per slot, for whole-index scans in slot order. */
  unit = new Float64Array(INITIAL_CAPACITY * 3);
  /** Position of each slot inside its bucket. */
  posInBucket = new Int32Array(INITIAL_CAPACITY);
  /** Bucket of each slot; undefined while unplaced. */
  readonly bucket: (CellBucket | undefined)[] = [];
  /** Id per slot; undefined marks a free slot. */
  readonly ids: (string | undefined)[] = [];
  /** Slots ever used: live slots are below this mark. */
  highWater = 0;
  private readonly free: number[] = [];

  /** Takes a slot for `id` (recycling a freed one first). */
  alloc(id: string): number {
    const slot = this.free.pop() ?? this.highWater++;
    if (slot >= this.lat.length) this.grow(this.lat.length * 2);
    this.ids[slot] = id;
    this.bucket[slot] = undefined;
    return slot;
  }

  /** Returns a slot to the free list. */
  release(slot: number): void {
    this.ids[slot] = undefined;
    this.bucket[slot] = undefined;
    this.free.push(slot);
  }

  /** Stores a position and its unit vector (written to the slot, not yet to a bucket). */
  setPosition(slot: number, lat: number, lng: number): void {
    this.lat[slot] = lat;
    this.lng[slot] = lng;
    writeUnitVector(lat, lng, this.unit, slot * 3);
  }

  /** Appends the slot, with its unit vector, to a bucket. */
  addToBucket(slot: number, bucket: CellBucket): void {
    const o = slot * 3;
    this.bucket[slot] = bucket;
    this.posInBucket[slot] = bucket.slots.push(slot) - 1;
    bucket.xyz.push(this.unit[o], this.unit[o + 1], this.unit[o + 2]);
  }

  /** Copies the slot's unit vector into its bucket (the point moved inside its cell). */
  syncBucketVector(slot: number): void {
    const from = slot * 3;
    const to = this.posInBucket[slot] * 3;
    const { xyz } = this.bucket[slot]!;
    xyz[to] = this.unit[from];
    xyz[to + 1] = this.unit[from + 1];
    xyz[to + 2] = this.unit[from + 2];
  }

  /** Squared unit-sphere chord from (x, y, z) to the slot's position. */
  squaredChord(slot: number, x: number, y: number, z: number): number {
    const o = slot * 3;
    const dx = this.unit[o] - x;
    const dy = this.unit[o + 1] - y;
    const dz = this.unit[o + 2] - z;
    return dx * dx + dy * dy + dz * dz;
  }

  /** Takes the slot out of its bucket (swap with the last member). @returns the bucket left behind */
  removeFromBucket(slot: number): CellBucket {
    const bucket = this.bucket[slot]!;
    const pos = this.posInBucket[slot];
    const last = bucket.slots.pop()!;
    const z = bucket.xyz.pop()!;
    const y = bucket.xyz.pop()!;
    const x = bucket.xyz.pop()!;
    if (last !== slot) {
      bucket.slots[pos] = last;
      bucket.xyz[pos * 3] = x;
      bucket.xyz[pos * 3 + 1] = y;
      bucket.xyz[pos * 3 + 2] = z;
      this.posInBucket[last] = pos;
    }
    this.bucket[slot] = undefined;
    return bucket;
  }

  private grow(capacity: number): void {
    const lat = new Float64Array(capacity);
    lat.set(this.lat);
    const lng = new Float64Array(capacity);
    lng.set(this.lng);
    const unit = new Float64Array(capacity * 3);
    unit.set(this.unit);
    const pos = new Int32Array(capacity);
    pos.set(this.posInBucket);
    this.unit = unit;
    this.lat = lat;
    this.lng = lng;
    this.posInBucket = pos;
  }
}
