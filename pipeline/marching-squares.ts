/**
 * Marching squares over a water/land class grid, with sub-pixel vertices interpolated from a signed field.
 *
 * Coordinates are pixel-centre coordinates in the scene: pixel (col, row) sits at (col, row). Every vertex
 * lies on the edge between two pixel centres and carries that edge's scene-wide id, so segments produced
 * by different windows meet on exactly the same id and the same coordinates (both sides interpolate the
 * same two values in the same order).
 *
 * Topology comes from the classes, never from the field, so the contour always matches the 8-connected
 * water components used to tell sea from ponds: saddles always join the two water corners.
 */
import { keepShape } from '../common/keep-shape.ts';

export const CLASS_LAND = 0;
export const CLASS_WATER = 1;
/** Nodata or masked: cells touching such a pixel produce no line. */
export const CLASS_INVALID = 255;

/**
 * The signed field a contour interpolates. Pass one object for a whole grid (a class instance, say):
 * the per-cell calls then always reach the same methods, which the compiler can inline once.
 */
export interface ContourField {
  /**
   * Signed field at pixel i: > 0 on water pixels, ≤ 0 on land pixels (callers keep it consistent with
   * `classes`). Called only for the corners of cells the line crosses.
   */
  fieldAt(i: number): number;
  /**
   * Optional sub-pixel estimator: where the line crosses the edge from pixel a to its right or lower
   * neighbour b, as a fraction of the way from a. Defaults to linear interpolation of `fieldAt`.
   */
  crossingAt?(a: number, b: number): number;
}

export interface ContourGrid {
  width: number;
  height: number;
  /** CLASS_LAND, CLASS_WATER or CLASS_INVALID per pixel, row-major. */
  classes: Uint8Array;
  field: ContourField;
  /** Water component label per pixel (0 for non-water); copied onto each segment as its tag. */
  labels: Int32Array;
  /** Labels whose outline is not wanted (1 = skip), e.g. ponds known to be inland; default none. */
  skipLabel?: Uint8Array;
  /** Scene pixel coordinates of grid pixel (0, 0). */
  originX: number;
  originY: number;
}

/** Which cells to contour, by their top-left pixel in grid coordinates: [x0, x1) × [y0, y1). */
export interface CellRange {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Segments as flat arrays. Segment i runs from (coords[4i], coords[4i+1]) on edge edges[2i] to
 * (coords[4i+2], coords[4i+3]) on edge edges[2i+1]. Water lies on the side where
 * cross(direction, waterCorner − start) > 0, i.e. on the right when walking the line on a y-down image.
 */
export interface SegmentSet {
  count: number;
  coords: Float64Array;
  edges: Float64Array;
  tags: Int32Array;
}

const T = 0;
const R = 1;
const B = 2;
const L = 3;
/** Offset from a cell's top-left pixel to the first pixel (top or left end) of each edge T, R, B, L. */
const EDGE_DX = new Int32Array([0, 1, 0, 0]);
const EDGE_DY = new Int32Array([0, 0, 1, 0]);

/** Case (tl·8 + tr·4 + br·2 + bl·1, water = 1) → pairs of [fromEdge, toEdge]. */
const CASES: readonly (readonly number[])[] = [
  [],
  [L, B],
  [B, R],
  [L, R],
  [R, T],
  [L, T, R, B],
  [B, T],
  [L, T],
  [T, L],
  [T, B],
  [T, R, B, L],
  [T, R],
  [R, L],
  [R, B],
  [B, L],
  [],
];

/** Scene-wide id of the horizontal edge from pixel (x, y) to (x + 1, y). */
export function horizontalEdgeId(x: number, y: number, sceneWidth: number): number {
  return 2 * (y * sceneWidth + x);
}

/** Scene-wide id of the vertical edge from pixel (x, y) to (x, y + 1). */
export function verticalEdgeId(x: number, y: number, sceneWidth: number): number {
  return 2 * (y * sceneWidth + x) + 1;
}

/**
 * The segments of one call, in arrays doubled as they fill: a real window grows them a few times, and they
 * start small so that the worker's warm-up windows (workers/kernel-warm-up.ts) take the growth path too,
 * before V8 optimises `marchingSquares` (which inlines `push`): a path it never saw run throws the
 * optimised code away on first use.
 */
class SegmentBuilder {
  count = 0;
  coords = new Float64Array(4 * 16);
  edges = new Float64Array(2 * 16);
  tags = new Int32Array(16);

  push(xa: number, ya: number, ea: number, xb: number, yb: number, eb: number, tag: number): void {
    if (this.count === this.tags.length) this.grow();
    const i = this.count++;
    this.coords[4 * i] = xa;
    this.coords[4 * i + 1] = ya;
    this.coords[4 * i + 2] = xb;
    this.coords[4 * i + 3] = yb;
    this.edges[2 * i] = ea;
    this.edges[2 * i + 1] = eb;
    this.tags[i] = tag;
  }

  private grow(): void {
    const n = this.tags.length * 2;
    const coords = new Float64Array(4 * n);
    coords.set(this.coords);
    const edges = new Float64Array(2 * n);
    edges.set(this.edges);
    const tags = new Int32Array(n);
    tags.set(this.tags);
    this.coords = coords;
    this.edges = edges;
    this.tags = tags;
  }

  finish(): SegmentSet {
    return {
      count: this.count,
      coords: this.coords.slice(0, 4 * this.count),
      edges: this.edges.slice(0, 2 * this.count),
      tags: this.tags.slice(0, this.count),
    };
  }
}
// Its shape outlives every window (keep-shape.ts).
keepShape(new SegmentBuilder());

/**
 * Fraction of the way from pixel a to pixel b where the line crosses their edge (a, b of opposite
 * classes): the field's own estimator, else where its linear interpolation crosses 0.
 */
function crossing(field: ContourField, a: number, b: number): number {
  if (field.crossingAt !== undefined) return field.crossingAt(a, b);
  const va = field.fieldAt(a);
  return va / (va - field.fieldAt(b));
}

export function marchingSquares(grid: ContourGrid, cells: CellRange, sceneWidth: number): SegmentSet {
  const { width, height, classes, field, labels, skipLabel, originX, originY } = grid;
  if (classes.length !== width * height || labels.length !== width * height) {
    throw new RangeError('grid arrays must all hold width × height values');
  }
  if (cells.x0 < 0 || cells.y0 < 0 || cells.x1 > width - 1 || cells.y1 > height - 1) {
    throw new RangeError(`cell range ${JSON.stringify(cells)} does not fit a ${width}×${height} grid`);
  }
  const out = new SegmentBuilder();
  const vertex = new Float64Array(8); // x, y per edge T, R, B, L
  const edgeIds = new Float64Array(4);
  for (let y = cells.y0; y < cells.y1; y++) {
    const row = y * width;
    const next = row + width;
    let tr = classes[row + cells.x0]!;
    let br = classes[next + cells.x0]!;
    for (let x = cells.x0; x < cells.x1; x++) {
      // The right corners of one cell are the left corners of the next.
      const tl = tr;
      const bl = br;
      tr = classes[row + x + 1]!;
      br = classes[next + x + 1]!;
      if (tl === tr && bl === br && tl === bl) continue; // uniform cell: no line
      if ((tl | tr | br | bl) > 1) continue; // a corner is invalid
      const code = (tl << 3) | (tr << 2) | (br << 1) | bl;
      if (code === 0 || code === 15) continue;
      // With 8-connected water every water corner of a cell belongs to the same component.
      const tag =
        tl === 1
          ? labels[row + x]!
          : tr === 1
            ? labels[row + x + 1]!
            : br === 1
              ? labels[next + x + 1]!
              : labels[next + x]!;
      if (skipLabel && skipLabel[tag] === 1) continue;
      const gx = originX + x;
      const gy = originY + y;
      const i = row + x;
      // Edges are estimated from their top/left pixel, so both cells sharing an edge agree bit for bit.
      // One call site for `crossing`: the compiler inlines the field's estimator once, not once per edge.
      const crossed = (tl !== tr ? 1 : 0) | (tr !== br ? 2 : 0) | (bl !== br ? 4 : 0) | (tl !== bl ? 8 : 0);
      for (let e = T; e <= L; e++) {
        if ((crossed & (1 << e)) === 0) continue;
        const ex = gx + EDGE_DX[e]!;
        const ey = gy + EDGE_DY[e]!;
        const a = i + EDGE_DX[e]! + EDGE_DY[e]! * width;
        const horizontal = e === T || e === B;
        const f = crossing(field, a, horizontal ? a + 1 : a + width);
        vertex[2 * e] = horizontal ? ex + f : ex;
        vertex[2 * e + 1] = horizontal ? ey : ey + f;
        edgeIds[e] = horizontal ? horizontalEdgeId(ex, ey, sceneWidth) : verticalEdgeId(ex, ey, sceneWidth);
      }
      const pairs = CASES[code]!;
      for (let k = 0; k < pairs.length; k += 2) {
        const a = pairs[k]!;
        const b = pairs[k + 1]!;
        out.push(
          vertex[2 * a]!,
          vertex[2 * a + 1]!,
          edgeIds[a]!,
          vertex[2 * b]!,
          vertex[2 * b + 1]!,
          edgeIds[b]!,
          tag,
        );
      }
    }
  }
  return out.finish();
}
