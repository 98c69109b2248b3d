import type { ScratchArena } from '../common/scratch-arena.ts';
import type { PixelWindow } from '../sources/scene-source.ts';
import type { ClassSplit, LevelGrid } from './block-levels.ts';
import { marchingSquares, type SegmentSet } from './marching-squares.ts';
import { labelWaterComponents } from './water-components.ts';
import { LOCAL_RADIUS, waterField } from './water-field.ts';
import { type RingStrips, withRing } from './window-grid.ts';

/**
 * Halo the contour step needs around a window: 1 pixel for the seam cells and component joins, plus the
 * neighbourhood the local water/land levels of those pixels look at.
 */
export const CONTOUR_HALO_PX = 1 + LOCAL_RADIUS;

export interface ContourWindowInput {
  window: PixelWindow;
  sceneWidth: number;
  sceneHeight: number;
  /** Index and contour band over the window (row-major, NaN = invalid); band null to contour the index. */
  index: Float32Array;
  band: Float32Array | null;
  /** The CONTOUR_HALO_PX ring of the same quantities around the window, from the neighbours' frames. */
  indexRing: RingStrips;
  bandRing: RingStrips | null;
  split: ClassSplit;
  levels: LevelGrid | null;
  /**
   * Buffers to reuse across windows (slots `contour:*`, `field:*`, `components:*`). Nothing returned lives
   * in it, so the output can be moved to another thread.
   */
  arena?: ScratchArena;
}

export interface ContourWindowOutput {
  /** Every water/land boundary of cells whose top-left pixel is in the window; tags are local labels. */
  segments: SegmentSet;
  /** Local components: count, and per label (index 1..count) core area and edge contact. */
  componentCount: number;
  area: Float64Array;
  touchesEdge: Uint8Array;
  /**
   * Local labels of the 1-pixel ring around the window (0: not water or outside the scene), in order: top
   * row (x0 − 1 … x1), bottom row (x0 − 1 … x1), left column (y0 … y1 − 1), right column (y0 … y1 − 1).
   */
  ringLabels: Int32Array;
  /** Local labels of the window's own border pixels: top row, bottom row, left column, right column. */
  edgeLabels: Int32Array;
  validCount: number;
  waterCount: number;
}

/** Pass 2 for one window: classify, label the water, contour every boundary. Pure; runs in a worker. */
export function contourWindow(input: ContourWindowInput): ContourWindowOutput {
  const { window: win, sceneWidth, sceneHeight, split, levels } = input;
  const h = input.indexRing.halo;
  if (h < 1) throw new RangeError('contouring a window needs a halo of at least 1 pixel');
  const width = win.x1 - win.x0;
  const height = win.y1 - win.y0;
  const gw = width + 2 * h;
  const gh = height + 2 * h;
  const originX = win.x0 - h;
  const originY = win.y0 - h;
  const { arena } = input;
  const index = withRing(
    input.index,
    width,
    height,
    input.indexRing,
    arena?.float32('contour:index', gw * gh),
  );
  const band =
    input.band && input.bandRing
      ? withRing(input.band, width, height, input.bandRing, arena?.float32('contour:band', gw * gh))
      : null;
  const core = { x0: h, y0: h, x1: h + width, y1: h + height };
  const field = waterField({
    width: gw,
    height: gh,
    originX,
    originY,
    index,
    band,
    split,
    levels,
    countIn: core,
    ...(arena ? { arena } : {}),
  });
  const { classes, validCount, waterCount } = field;

  const frame = { originX, originY, sceneWidth, sceneHeight };
  const region = {
    x0: Math.max(win.x0 - 1, 0) - originX,
    y0: Math.max(win.y0 - 1, 0) - originY,
    x1: Math.min(win.x1 + 1, sceneWidth) - originX,
    y1: Math.min(win.y1 + 1, sceneHeight) - originY,
  };
  const components = labelWaterComponents({ width: gw, height: gh, classes }, frame, region, core, arena);
  const labels = components.labels;

  const { ringLabels, edgeLabels } = borderLabels(labels, gw, originX, originY, win, sceneWidth, sceneHeight);

  // A water body that reaches neither the window's border nor the scene edge (nor nodata) is inland water
  // whatever the other windows hold: skip its outline here rather than estimate it and drop it later.
  const closed = closedLabels(components.count, components.touchesEdge, ringLabels, edgeLabels);

  const cells = {
    x0: h,
    y0: h,
    x1: Math.min(win.x1, sceneWidth - 1) - originX,
    y1: Math.min(win.y1, sceneHeight - 1) - originY,
  };
  const segments =
    cells.x1 > cells.x0 && cells.y1 > cells.y0
      ? marchingSquares(
          {
            width: gw,
            height: gh,
            classes,
            field,
            labels,
            skipLabel: closed,
            originX,
            originY,
          },
          cells,
          sceneWidth,
        )
      : { count: 0, coords: new Float64Array(0), edges: new Float64Array(0), tags: new Int32Array(0) };

  return {
    segments,
    componentCount: components.count,
    area: components.area,
    touchesEdge: components.touchesEdge,
    ringLabels,
    edgeLabels,
    validCount,
    waterCount,
  };
}

/**
 * The local labels of the 1-pixel ring around window `win` and of its own border pixels (see
 * ContourWindowOutput), from the labels of the grid (width `gw`, scene pixel (originX, originY) at 0)
 * that holds the window and its halo. A function of its own: its loops would otherwise make V8 optimise
 * the whole of contourWindow, with everything it inlines, in every worker.
 */
function borderLabels(
  labels: Int32Array,
  gw: number,
  originX: number,
  originY: number,
  win: PixelWindow,
  sceneWidth: number,
  sceneHeight: number,
): { ringLabels: Int32Array; edgeLabels: Int32Array } {
  const width = win.x1 - win.x0;
  const height = win.y1 - win.y0;
  const labelAt = (x: number, y: number) =>
    x < 0 || y < 0 || x >= sceneWidth || y >= sceneHeight ? 0 : labels[(y - originY) * gw + (x - originX)]!;
  const ringLabels = new Int32Array(2 * (width + 2) + 2 * height);
  const edgeLabels = new Int32Array(2 * width + 2 * height);
  let r = 0;
  for (let x = win.x0 - 1; x <= win.x1; x++) ringLabels[r++] = labelAt(x, win.y0 - 1);
  for (let x = win.x0 - 1; x <= win.x1; x++) ringLabels[r++] = labelAt(x, win.y1);
  for (let y = win.y0; y < win.y1; y++) ringLabels[r++] = labelAt(win.x0 - 1, y);
  for (let y = win.y0; y < win.y1; y++) ringLabels[r++] = labelAt(win.x1, y);
  let e = 0;
  for (let x = win.x0; x < win.x1; x++) edgeLabels[e++] = labelAt(x, win.y0);
  for (let x = win.x0; x < win.x1; x++) edgeLabels[e++] = labelAt(x, win.y1 - 1);
  for (let y = win.y0; y < win.y1; y++) edgeLabels[e++] = labelAt(win.x0, y);
  for (let y = win.y0; y < win.y1; y++) edgeLabels[e++] = labelAt(win.x1 - 1, y);
  return { ringLabels, edgeLabels };
}

/** 1 for each label whose water reaches neither the ring, the border, nor the scene edge or nodata. */
function closedLabels(
  count: number,
  touchesEdge: Uint8Array,
  ringLabels: Int32Array,
  edgeLabels: Int32Array,
): Uint8Array {
  const closed = new Uint8Array(count + 1).fill(1);
  closed[0] = 0;
  for (const label of ringLabels) closed[label] = 0;
  for (const label of edgeLabels) closed[label] = 0;
  for (let label = 1; label <= count; label++) if (touchesEdge[label]) closed[label] = 0;
  return closed;
}

/** Local label of scene pixel (x, y) on window `w`'s border, from that window's `edgeLabels`. */
export function edgeLabelAt(edgeLabels: Int32Array, w: PixelWindow, x: number, y: number): number {
  const width = w.x1 - w.x0;
  const height = w.y1 - w.y0;
  if (y === w.y0) return edgeLabels[x - w.x0]!;
  if (y === w.y1 - 1) return edgeLabels[width + x - w.x0]!;
  if (x === w.x0) return edgeLabels[2 * width + y - w.y0]!;
  if (x === w.x1 - 1) return edgeLabels[2 * width + height + y - w.y0]!;
  throw new RangeError(`pixel (${x}, ${y}) is not on the border of the window`);
}

/** Scene coordinates of the ring pixels, in the order of `ringLabels`. */
export function ringPixel(w: PixelWindow, k: number): [number, number] {
  const width = w.x1 - w.x0;
  const height = w.y1 - w.y0;
  if (k < width + 2) return [w.x0 - 1 + k, w.y0 - 1];
  k -= width + 2;
  if (k < width + 2) return [w.x0 - 1 + k, w.y1];
  k -= width + 2;
  if (k < height) return [w.x0 - 1, w.y0 + k];
  k -= height;
  if (k < height) return [w.x1, w.y0 + k];
  throw new RangeError(`ring index ${k} out of range`);
}
