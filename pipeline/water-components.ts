import { type ScratchArena, scratchInt32 } from '../common/scratch-arena.ts';
import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from './marching-squares.ts';
import { UnionFind } from './union-find.ts';

// Module-local copies: under tsx in a worker thread, imported bindings become property getters, and
// these are read for every pixel.
const INVALID = CLASS_INVALID;
const LAND = CLASS_LAND;
const WATER = CLASS_WATER;
/** Flags of a row (labelWaterComponents): an invalid pixel in the region, and one inside the scene. */
const INVALID_ROW = 1;
const MASKED_ROW = 2;

/** A rectangle in grid coordinates: [x0, x1) × [y0, y1). */
export interface GridRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface SceneFrame {
  /** Scene pixel coordinates of grid pixel (0, 0). */
  originX: number;
  originY: number;
  sceneWidth: number;
  sceneHeight: number;
}

export interface WaterComponents {
  /** Per grid pixel: component label 1..count for labelled water pixels, 0 otherwise. */
  labels: Int32Array;
  count: number;
  /** Indexed by label: number of water pixels of the component inside the core. */
  area: Float64Array;
  /**
   * Indexed by label: where a core pixel of the component lies on the scene border (EDGE_TOP, EDGE_BOTTOM,
   * EDGE_LEFT, EDGE_RIGHT) or next to an invalid pixel (EDGE_MASKED), i.e. where the water may continue
   * beyond what we can see; 0 for water enclosed by land.
   */
  touchesEdge: Uint8Array;
}

/** Bits of `touchesEdge`: the scene's top row, bottom row, left and right column, and invalid pixels. */
export const EDGE_TOP = 1;
export const EDGE_BOTTOM = 2;
export const EDGE_LEFT = 4;
export const EDGE_RIGHT = 8;
export const EDGE_MASKED = 16;

/**
 * Labels and runs the labelling first has room for; both grow by doubling. Small, so that the worker's
 * small warm-up windows take the growth paths too (see SegmentBuilder in marching-squares.ts).
 */
export const INITIAL_LABELS = 64;

/**
 * Labels 8-connected water over `region` (default: the whole grid), and measures each component over
 * `core` (default: the region). Labelling a region one pixel larger than the core lets a caller identify
 * the components of neighbouring windows through the pixels they share, so components join exactly
 * across window seams. With an arena, the labels live in its `components:labels` slot.
 */
export function labelWaterComponents(
  grid: { width: number; height: number; classes: Uint8Array },
  frame: SceneFrame,
  region: GridRect = { x0: 0, y0: 0, x1: grid.width, y1: grid.height },
  core: GridRect = region,
  arena?: ScratchArena,
): WaterComponents {
  const { width, height, classes } = grid;
  if (classes.length !== width * height) throw new RangeError('classes must hold width × height values');
  if (region.x0 < 0 || region.y0 < 0 || region.x1 > width || region.y1 > height) {
    throw new RangeError('region must lie inside the grid');
  }
  if (core.x0 < region.x0 || core.y0 < region.y0 || core.x1 > region.x1 || core.y1 > region.y1) {
    throw new RangeError('core must lie inside the region');
  }
  const labels = scratchInt32(arena, 'components:labels', width * height);
  if (arena) labels.fill(0);
  // Run-length labelling: each row's water runs are joined to the runs of the row above they touch
  // (8-connectivity: overlapping or diagonally adjacent). Seas and large ponds are a few runs per row,
  // so the work follows the number of runs, not pixels.
  // Rows holding an invalid pixel (native search): run ends and the edge check only look there for them.
  // The edge check counts only pixels of the scene (MASKED_ROW): beyond its edge, in a window's halo,
  // nothing is masked, just unseen, and the check flags that as a side of the scene instead.
  const { originX, originY, sceneWidth, sceneHeight } = frame;
  const scene: GridRect = {
    x0: Math.max(0, region.x0 - 1, -originX),
    y0: Math.max(0, region.y0 - 1, -originY),
    x1: Math.min(width, region.x1 + 1, sceneWidth - originX),
    y1: Math.min(height, region.y1 + 1, sceneHeight - originY),
  };
  const invalidRows = new Uint8Array(height);
  for (let y = Math.max(0, region.y0 - 1); y < Math.min(height, region.y1 + 1); y++) {
    const row = y * width;
    const from = row + Math.max(0, region.x0 - 1);
    const to = row + Math.min(width, region.x1 + 1);
    if (classes.subarray(from, to).indexOf(INVALID) === -1) continue;
    invalidRows[y] = INVALID_ROW;
    if (
      y >= scene.y0 &&
      y < scene.y1 &&
      classes.subarray(row + scene.x0, row + scene.x1).indexOf(INVALID) !== -1
    ) {
      invalidRows[y] = INVALID_ROW | MASKED_ROW;
    }
  }
  const uf = new UnionFind(INITIAL_LABELS);
  let nextLabel = 1;
  let runs = new Int32Array(4 * INITIAL_LABELS); // y, x0, x1 (exclusive), provisional label
  let runCount = 0;
  let prevStart = 0;
  let prevEnd = 0;
  for (let y = region.y0; y < region.y1; y++) {
    const row = y * width;
    const rowStart = runCount;
    let p = prevStart;
    const line = classes.subarray(row + region.x0, row + region.x1);
    const lineInvalid = invalidRows[y] !== 0;
    let from = 0;
    for (;;) {
      // Native searches find each run's start and end: the sea is a few long runs per row.
      const start = line.indexOf(WATER, from);
      if (start === -1) break;
      const land = line.indexOf(LAND, start);
      const invalid = lineInvalid ? line.indexOf(INVALID, start) : -1;
      let stop = line.length;
      if (land !== -1) stop = land;
      if (invalid !== -1 && invalid < stop) stop = invalid;
      from = stop;
      const x0 = region.x0 + start;
      const x1 = region.x0 + stop;
      let label = 0;
      // Runs above that end before x0 − 1 can touch no later run of this row either.
      while (p < prevEnd && runs[4 * p + 2]! < x0) p++;
      for (let q = p; q < prevEnd && runs[4 * q + 1]! <= x1; q++) {
        const other = runs[4 * q + 3]!;
        if (label === 0) label = other;
        else if (other !== label) uf.union(label, other);
      }
      if (label === 0) {
        label = nextLabel++;
        uf.ensure(nextLabel);
      }
      if (4 * runCount + 4 > runs.length) {
        const bigger = new Int32Array(runs.length * 2);
        bigger.set(runs);
        runs = bigger;
      }
      runs[4 * runCount] = y;
      runs[4 * runCount + 1] = x0;
      runs[4 * runCount + 2] = x1;
      runs[4 * runCount + 3] = label;
      runCount++;
    }
    prevStart = rowStart;
    prevEnd = runCount;
  }
  // Compact roots to 1..count and write the final labels once, run by run.
  const compact = new Int32Array(nextLabel);
  let count = 0;
  for (let i = 1; i < nextLabel; i++) {
    const root = uf.find(i);
    if (compact[root] === 0) compact[root] = ++count;
    compact[i] = compact[root]!;
  }
  const area = new Float64Array(count + 1);
  const touchesEdge = new Uint8Array(count + 1);
  for (let r = 0; r < runCount; r++) {
    const y = runs[4 * r]!;
    const x0 = runs[4 * r + 1]!;
    const x1 = runs[4 * r + 2]!;
    const label = compact[runs[4 * r + 3]!]!;
    labels.fill(label, y * width + x0, y * width + x1);
    if (y < core.y0 || y >= core.y1) continue;
    const cx0 = Math.max(x0, core.x0);
    const cx1 = Math.min(x1, core.x1);
    if (cx1 <= cx0) continue;
    area[label]! += cx1 - cx0;
    const sy = originY + y;
    let edge = touchesEdge[label]!;
    if (sy === 0) edge |= EDGE_TOP;
    if (sy === sceneHeight - 1) edge |= EDGE_BOTTOM;
    if (originX + cx0 === 0) edge |= EDGE_LEFT;
    if (originX + cx1 - 1 === sceneWidth - 1) edge |= EDGE_RIGHT;
    if (
      !(edge & EDGE_MASKED) &&
      (((invalidRows[y - 1] ?? 0) | invalidRows[y]! | (invalidRows[y + 1] ?? 0)) & MASKED_ROW) !== 0 &&
      runNextToInvalid(classes, width, scene, y, cx0, cx1)
    ) {
      edge |= EDGE_MASKED;
    }
    touchesEdge[label] = edge;
  }
  return { labels, count, area, touchesEdge };
}

/** Whether any 8-neighbour inside `within` of the pixels [x0, x1) of row y is invalid. */
function runNextToInvalid(
  classes: Uint8Array,
  width: number,
  within: GridRect,
  y: number,
  x0: number,
  x1: number,
): boolean {
  for (let yy = Math.max(within.y0, y - 1); yy <= Math.min(within.y1 - 1, y + 1); yy++) {
    const row = yy * width;
    for (let x = Math.max(within.x0, x0 - 1); x <= Math.min(within.x1 - 1, x1); x++) {
      if (classes[row + x] === INVALID) return true;
    }
  }
  return false;
}
