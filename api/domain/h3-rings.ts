/**
 * Ring-by-ring walk of the H3 cells around a query point, with the radius each completed disk is
 * guaranteed to cover (see h3-cover.ts). Shared by the point index and the walking graph's edge index.
 */
import { cellToLatLng, getPentagons, gridDisk, gridRingUnsafe, latLngToCell } from 'h3-js';
import { cellScaleM, diskCoverRadiusM, ringsToCover } from './h3-cover.ts';
import { distanceMForSquaredChord, writeUnitVector } from './sphere.ts';

interface CellFrame {
  scaleM: number;
  centre: Float64Array;
}

/** Frames cached per scanner; cleared wholesale when full (cheap to recompute: ~5 us each). */
const FRAME_CACHE_LIMIT = 100_000;

/**
 * A cell's low 52 bits (base cell and digits) as an exact integer: unique within one resolution.
 * Buckets are keyed by number because V8 finds the h3-js hex strings (built by concatenation)
 * in a large Map several times slower.
 */
export function cellKey(cell: string): number {
  // A cell index has mode 1 in bits 59-62, so its hex form is always 15 digits; drop mode and res.
  return parseInt(cell.slice(2), 16);
}

/** One query's origin cell and the bounds that come with it. */
export interface RingQuery {
  origin: string;
  /** Size scale of the origin cell, metres. */
  scaleM: number;
  /** Distance from the query point to the origin cell's centre, metres. */
  offsetM: number;
  /** Distance from the query point to the nearest pentagon centre at this resolution, metres. */
  pentagonM: number;
  /** Near a pentagon: rings found so far by breadth-first search, and every cell in them. */
  safeRings: string[][] | null;
  safeSeen: Set<string> | null;
}

/** Walks H3 rings at one resolution; caches per-cell geometry. */
export class RingScanner {
  private readonly frames = new Map<string, CellFrame>();
  private readonly pentagons: Float64Array;
  private readonly unit = new Float64Array(3);

  constructor(readonly res: number) {
    const cells = getPentagons(res);
    this.pentagons = new Float64Array(cells.length * 3);
    cells.forEach((cell, i) => {
      const [lat, lng] = cellToLatLng(cell);
      writeUnitVector(lat, lng, this.pentagons, i * 3);
    });
  }

  /** Locates the query point's origin cell (validated coordinates expected). */
  start(lat: number, lng: number): RingQuery {
    const origin = latLngToCell(lat, lng, this.res);
    const frame = this.frameOf(origin);
    writeUnitVector(lat, lng, this.unit, 0);
    return {
      origin,
      scaleM: frame.scaleM,
      offsetM: distanceMForSquaredChord(this.squaredChordTo(frame.centre, 0)),
      pentagonM: this.nearestPentagonM(),
      safeRings: null,
      safeSeen: null,
    };
  }

  /**
   * Cells at exactly grid distance k from the origin. Uses the fast gridRingUnsafe away from
   * pentagons (it fails when its ring meets one); near them, a breadth-first search over
   * 1-disks (gridDisk is pentagon-safe; h3's own safe gridDiskDistances is far slower for large k).
   */
  ring(query: RingQuery, k: number): string[] {
    if (k === 0) return [query.origin];
    // A ring-k cell lies within ~(1.73k + 1.2) scales of the origin; 4(k + 2) is far outside that.
    if (query.pentagonM > 4 * (k + 2) * query.scaleM) return gridRingUnsafe(query.origin, k);
    if (query.safeRings === null || query.safeSeen === null) {
      query.safeRings = [[query.origin]];
      query.safeSeen = new Set([query.origin]);
    }
    while (query.safeRings.length <= k) {
      const next: string[] = [];
      for (const cell of query.safeRings[query.safeRings.length - 1]) {
        for (const neighbour of gridDisk(cell, 1)) {
          if (!query.safeSeen.has(neighbour)) {
            query.safeSeen.add(neighbour);
            next.push(neighbour);
          }
        }
      }
      query.safeRings.push(next);
    }
    return query.safeRings[k];
  }

  /** Radius in metres that the disk of rings 0..k is guaranteed to cover. */
  coverRadiusM(query: RingQuery, k: number): number {
    return diskCoverRadiusM(k, query.scaleM, query.offsetM);
  }

  /** Smallest k whose disk covers `radiusM` metres. */
  ringsToCover(query: RingQuery, radiusM: number): number {
    return ringsToCover(radiusM, query.scaleM, query.offsetM);
  }

  private frameOf(cell: string): CellFrame {
    let frame = this.frames.get(cell);
    if (frame === undefined) {
      if (this.frames.size >= FRAME_CACHE_LIMIT) this.frames.clear();
      const [lat, lng] = cellToLatLng(cell);
      const centre = new Float64Array(3);
      writeUnitVector(lat, lng, centre, 0);
      frame = { scaleM: cellScaleM(cell), centre };
      this.frames.set(cell, frame);
    }
    return frame;
  }

  private nearestPentagonM(): number {
    let best = Infinity;
    for (let i = 0; i < this.pentagons.length; i += 3) best = Math.min(best, this.squaredChordTo(this.pentagons, i));
    return distanceMForSquaredChord(best);
  }

  private squaredChordTo(vectors: Float64Array, offset: number): number {
    const dx = vectors[offset] - this.unit[0];
    const dy = vectors[offset + 1] - this.unit[1];
    const dz = vectors[offset + 2] - this.unit[2];
    return dx * dx + dy * dy + dz * dz;
  }
}
