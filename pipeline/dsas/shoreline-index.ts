import type { DatedShoreline, IntersectionRule, Transect } from './types.ts';

/** At most this many grid cells (a dense Int32Array of 16 MB); coarser cells beyond that. */
const MAX_CELLS = 4_000_000;

/**
 * A uniform grid over every segment of every shoreline, in compressed rows: the segments of the cell with
 * compact index c are cellSegments[cellStart[c] … cellStart[c+1]). A transect visits only the cells along
 * it, so intersecting 10,000 transects with 40 long shorelines costs about one pass over nearby segments
 * instead of transects × segments.
 */
export interface ShorelineIndex {
  readonly shorelineCount: number;
  readonly cellSizeM: number;
  readonly originX: number;
  readonly originY: number;
  readonly cols: number;
  readonly rows: number;
  /** Dense cell id (row · cols + col) → compact index, −1 when empty. */
  readonly cellOf: Int32Array;
  readonly cellStart: Int32Array;
  readonly cellSegments: Int32Array;
  /** x1, y1, x2, y2 of each segment. */
  readonly segments: Float64Array;
  readonly segmentShoreline: Int32Array;
  readonly segmentUncertaintyM: Float64Array;
  /** Scratch: the query number that last visited each compact cell (the index is single-threaded). */
  readonly visited: Int32Array;
  query: number;
}

export interface ShorelineIndexOptions {
  /** Grid cell size, metres; default three times the median segment length (at least 5 m). */
  readonly cellSizeM?: number;
}

/** Builds the grid index. Shoreline k of the index is `shorelines[k]`. */
export function buildShorelineIndex(
  shorelines: readonly DatedShoreline[],
  options: ShorelineIndexOptions = {},
): ShorelineIndex {
  let count = 0;
  for (const s of shorelines) for (const p of s.pieces) count += Math.max(0, p.coordinates.length - 1);
  const segments = new Float64Array(count * 4);
  const segmentShoreline = new Int32Array(count);
  const segmentUncertaintyM = new Float64Array(count);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let k = 0;
  shorelines.forEach((shoreline, si) => {
    for (const piece of shoreline.pieces) {
      const c = piece.coordinates;
      for (let i = 0; i + 1 < c.length; i++) {
        const a = c[i]!;
        const b = c[i + 1]!;
        segments[4 * k] = a[0];
        segments[4 * k + 1] = a[1];
        segments[4 * k + 2] = b[0];
        segments[4 * k + 3] = b[1];
        segmentShoreline[k] = si;
        segmentUncertaintyM[k] = piece.uncertaintyM;
        k++;
      }
      for (const p of c) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
  });
  if (count === 0) {
    minX = minY = 0;
    maxX = maxY = 1;
  }
  let cellSizeM = options.cellSizeM ?? Math.max(5, 3 * medianSegmentLength(segments, count));
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  if ((spanX / cellSizeM + 1) * (spanY / cellSizeM + 1) > MAX_CELLS) {
    cellSizeM =
      Math.max(cellSizeM, Math.sqrt((spanX * spanY) / MAX_CELLS), (spanX + spanY) / MAX_CELLS) * 1.01;
  }
  const cols = Math.floor(spanX / cellSizeM) + 1;
  const rows = Math.floor(spanY / cellSizeM) + 1;
  const originX = minX;
  const originY = minY;

  // Two passes over the same cell walk: count per dense cell, then fill. One dense array serves both as the
  // counts and, converted in place, as the compact cell ids: large short-lived buffers cost full GCs.
  const cellOf = new Int32Array(cols * rows);
  const grid: Grid = { originX, originY, cellSizeM, cols, rows };
  for (let k = 0; k < count; k++) forSegmentCells(segments, k, grid, cellOf, null, null);
  let cells = 0;
  for (let i = 0; i < cellOf.length; i++) if (cellOf[i]! > 0) cells++;
  const cellStart = new Int32Array(cells + 1);
  let c = 0;
  for (let i = 0; i < cellOf.length; i++) {
    const n = cellOf[i]!;
    if (n > 0) {
      cellStart[c + 1] = cellStart[c]! + n;
      cellOf[i] = c++;
    } else {
      cellOf[i] = -1;
    }
  }
  const fill = cellStart.slice(0, cells);
  const cellSegments = new Int32Array(cellStart[cells]!);
  for (let k = 0; k < count; k++) forSegmentCells(segments, k, grid, cellOf, fill, cellSegments);
  return {
    shorelineCount: shorelines.length,
    cellSizeM,
    originX,
    originY,
    cols,
    rows,
    cellOf,
    cellStart,
    cellSegments,
    segments,
    segmentShoreline,
    segmentUncertaintyM,
    visited: new Int32Array(cells),
    query: 0,
  };
}

function medianSegmentLength(segments: Float64Array, count: number): number {
  if (count === 0) return 1;
  // A sample is plenty for a cell size.
  const stride = Math.max(1, Math.floor(count / 2001));
  const lengths: number[] = [];
  for (let k = 0; k < count; k += stride) {
    lengths.push(
      Math.hypot(segments[4 * k + 2]! - segments[4 * k]!, segments[4 * k + 3]! - segments[4 * k + 1]!),
    );
  }
  lengths.sort((a, b) => a - b);
  return lengths[lengths.length >> 1]! || 1;
}

interface Grid {
  readonly originX: number;
  readonly originY: number;
  readonly cellSizeM: number;
  readonly cols: number;
  readonly rows: number;
}

/**
 * The cells segment k may touch, by the same conservative rule as `walkCells` (which queries use), so the
 * cell holding a crossing is always found by both. Counting pass (fill null): counts[cell]++. Filling pass:
 * appends k to each compact cell's list. Written without callbacks: this runs for millions of segments.
 */
function forSegmentCells(
  segments: Float64Array,
  k: number,
  grid: Grid,
  cells: Int32Array,
  fill: Int32Array | null,
  out: Int32Array | null,
): void {
  const { originX, originY, cellSizeM, cols } = grid;
  const x1 = segments[4 * k]!;
  const y1 = segments[4 * k + 1]!;
  const x2 = segments[4 * k + 2]!;
  const y2 = segments[4 * k + 3]!;
  const c1 = Math.floor((x1 - originX) / cellSizeM);
  const r1 = Math.floor((y1 - originY) / cellSizeM);
  // Fast path: both ends in one cell (most segments, as cells are several segments long).
  if (c1 === Math.floor((x2 - originX) / cellSizeM) && r1 === Math.floor((y2 - originY) / cellSizeM)) {
    const dense = r1 * cols + c1;
    if (fill === null) cells[dense]!++;
    else out![fill[cells[dense]!]!++] = k;
    return;
  }
  walkCells(x1, y1, x2, y2, originX, originY, cellSizeM, cols, grid.rows, (dense) => {
    if (fill === null) cells[dense]!++;
    else out![fill[cells[dense]!]!++] = k;
  });
}

function walkCells(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  originX: number,
  originY: number,
  cellSizeM: number,
  cols: number,
  rows: number,
  visit: (cell: number) => void,
): void {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const pieces = Math.max(1, Math.ceil(Math.sqrt(dx * dx + dy * dy) / cellSizeM));
  let lastA = -1;
  let lastB = -1;
  let lastC = -1;
  let lastD = -1;
  for (let p = 0; p < pieces; p++) {
    const f0 = p / pieces;
    const f1 = (p + 1) / pieces;
    const ax = x1 + (x2 - x1) * f0;
    const ay = y1 + (y2 - y1) * f0;
    const bx = x1 + (x2 - x1) * f1;
    const by = y1 + (y2 - y1) * f1;
    const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - originX) / cellSizeM));
    const c1 = Math.min(cols - 1, Math.floor((Math.max(ax, bx) - originX) / cellSizeM));
    const r0 = Math.max(0, Math.floor((Math.min(ay, by) - originY) / cellSizeM));
    const r1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) - originY) / cellSizeM));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        // Skip the cells the previous piece already gave (the common case along a line).
        if (r >= lastC && r <= lastD && c >= lastA && c <= lastB) continue;
        visit(r * cols + c);
      }
    }
    lastA = c0;
    lastB = c1;
    lastC = r0;
    lastD = r1;
  }
}

/**
 * Intersects one transect with every shoreline of the index. For shoreline k, `outDistanceM[k]` receives
 * the signed distance from the origin of the crossing chosen by `rule` (the most seaward or most landward
 * one inside the transect's window), and `outUncertaintyM[k]` the uncertainty of the piece crossed; NaN
 * where the transect does not cross shoreline k. Output arrays must hold `index.shorelineCount` values.
 */
export function intersectTransect(
  index: ShorelineIndex,
  transect: Transect,
  rule: IntersectionRule,
  outDistanceM: Float64Array,
  outUncertaintyM: Float64Array,
): void {
  outDistanceM.fill(Number.NaN);
  outUncertaintyM.fill(Number.NaN);
  const px = transect.origin[0];
  const py = transect.origin[1];
  const dx = transect.dir[0];
  const dy = transect.dir[1];
  const sMin = transect.sMinM;
  const sMax = transect.sMaxM;
  const seaward = rule === 'seaward';
  const { segments, cellOf, cellStart, cellSegments, visited, segmentShoreline, segmentUncertaintyM } = index;
  const stamp = ++index.query;
  walkCells(
    px + dx * sMin,
    py + dy * sMin,
    px + dx * sMax,
    py + dy * sMax,
    index.originX,
    index.originY,
    index.cellSizeM,
    index.cols,
    index.rows,
    (cell) => {
      const c = cellOf[cell]!;
      if (c < 0 || visited[c] === stamp) return;
      visited[c] = stamp;
      for (let j = cellStart[c]!, end = cellStart[c + 1]!; j < end; j++) {
        const k = cellSegments[j]!;
        const ax = segments[4 * k]!;
        const ay = segments[4 * k + 1]!;
        const ex = segments[4 * k + 2]! - ax;
        const ey = segments[4 * k + 3]! - ay;
        const denom = dx * ey - dy * ex;
        if (denom === 0) continue; // parallel: a transect grazing a shoreline along its length has no crossing
        const qx = ax - px;
        const qy = ay - py;
        const u = (qx * dy - qy * dx) / denom;
        if (u < 0 || u > 1) continue;
        const s = (qx * ey - qy * ex) / denom;
        if (s < sMin || s > sMax) continue;
        const si = segmentShoreline[k]!;
        const current = outDistanceM[si]!;
        if (Number.isNaN(current) || (seaward ? s > current : s < current)) {
          outDistanceM[si] = s;
          outUncertaintyM[si] = segmentUncertaintyM[k]!;
        }
      }
    },
  );
}
