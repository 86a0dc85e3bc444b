/**
 * How far a k-disk of H3 cells is guaranteed to reach, the bound that makes every
 * "cells near a point" search in the domain exact.
 *
 * In an ideal hexagonal grid of edge e, the union of the cells within grid distance k of a cell
 * contains the circle of radius (1.5k + 0.5)e around that cell's centre (the nearest outside points
 * are the notches between ring-k cells on the disk's sides). H3 cells are distorted hexagons whose
 * size varies ~2x within a resolution, so e is taken per origin cell from its area
 * (a regular hexagon of area A has e = sqrt(2A / (3 sqrt 3))) and a safety factor is applied.
 * Measured with exact cell boundaries (h3-js 4.5, res 4-11, k 0-30, random points on the whole
 * sphere and within 30 cells of all 12 pentagons): the true reach never fell below 0.897 of the
 * ideal figure; {@link DISK_SAFETY} = 0.8 leaves > 10 % margin. A query point that is not at the
 * origin's centre loses its offset (triangle inequality). Property tests check it against brute force.
 */
import { cellArea } from 'h3-js';

/** Fraction of the ideal hexagonal k-disk reach that we rely on (measured worst case 0.897). */
export const DISK_SAFETY = 0.8;

/** Upper bound of (centre-to-vertex distance) / {@link cellScaleM} for any H3 cell (measured 1.122). */
export const CELL_CIRCUMRADIUS_PER_SCALE = 1.2;

const AREA_TO_EDGE = 2 / (3 * Math.sqrt(3));

/**
 * Edge length of the regular hexagon with this cell's area: the cell's size scale.
 * @returns metres
 */
export function cellScaleM(cell: string): number {
  return Math.sqrt(AREA_TO_EDGE * cellArea(cell, 'm2'));
}

/**
 * Radius around a query point that the k-disk of its cell is guaranteed to cover.
 * @param scaleM {@link cellScaleM} of the query point's cell
 * @param offsetM distance from the query point to that cell's centre
 * @returns metres (0 when nothing beyond the point itself is guaranteed)
 */
export function diskCoverRadiusM(k: number, scaleM: number, offsetM: number): number {
  return Math.max(0, DISK_SAFETY * (1.5 * k + 0.5) * scaleM - offsetM);
}

/**
 * Smallest k whose disk covers `radiusM` around the query point (see {@link diskCoverRadiusM}).
 */
export function ringsToCover(radiusM: number, scaleM: number, offsetM: number): number {
  let k = Math.max(0, Math.ceil(((radiusM + offsetM) / (DISK_SAFETY * scaleM) - 0.5) / 1.5));
  while (diskCoverRadiusM(k, scaleM, offsetM) < radiusM) k += 1;
  return k;
}

/** Number of cells in a k-disk of hexagons. */
export function diskCellCount(k: number): number {
  return 3 * k * (k + 1) + 1;
}
