import type { PixelWindow } from '../sources/scene-source.ts';
import { edgeLabelAt, ringPixel } from './contour-window.ts';
import { UnionFind } from './union-find.ts';
import { EDGE_BOTTOM, EDGE_LEFT, EDGE_MASKED, EDGE_RIGHT, EDGE_TOP } from './water-components.ts';
import { type WindowGrid, windowCount, windowIndexOf } from './window-grid.ts';

/**
 * Open water (reaching the scene edge or a masked area) is evidence of sea only from this area up: 25 ha,
 * well above an aquaculture pond or fish farm cut by the scene edge or by a cloud (a few hectares; the
 * fixtures' are at most 8), so that a scene whose sea is clouded over, or that has none, is not answered
 * with pond outlines.
 */
export const SEA_MIN_AREA_M2 = 250_000;

/** …or this share of the scene, when the scene is too small to show SEA_MIN_AREA_M2 of water at all. */
export const SEA_MIN_SCENE_SHARE = 0.25;

/**
 * Besides the largest open water body, any other at least this share of its size is sea too: the sea can
 * reach the scene edge in several pieces (split by a headland, or by nodata or a cloud bank).
 */
export const SEA_MIN_SHARE = 0.1;

export interface WindowComponentInfo {
  window: PixelWindow;
  componentCount: number;
  area: Float64Array;
  /** Bits of EDGE_TOP … EDGE_MASKED per label (see labelWaterComponents). */
  touchesEdge: Uint8Array;
  ringLabels: Int32Array;
  edgeLabels: Int32Array;
}

export interface SeaOptions {
  /** Ground area of one pixel, in square metres (groundPixelAreaM2). */
  pixelAreaM2: number;
  /**
   * Every open water body is sea, for a reference shoreline to pick the coast among them: where connectivity
   * cannot tell a lake from the sea, the reference can (`--reference`).
   */
  everyOpenBody?: boolean;
}

export interface SeaSelection {
  /** Whether local label `label` (≥ 1) of window `windowIndex` is part of the sea. */
  isSea(windowIndex: number, label: number): boolean;
  /** Water bodies in the scene, and how many of them count as sea. */
  componentCount: number;
  seaComponentCount: number;
  seaAreaPx: number;
  /** Water bodies reaching the scene edge or a masked area (sea or not), and the largest one's area. */
  edgeComponentCount: number;
  largestEdgeAreaPx: number;
  /** The area open water needs to count as sea (SEA_MIN_AREA_M2, or SEA_MIN_SCENE_SHARE of a small scene). */
  minSeaAreaPx: number;
  pixelAreaM2: number;
}

/** How many sides of the scene a water body reaches. */
function sidesReached(edge: number): number {
  let sides = 0;
  for (const bit of [EDGE_TOP, EDGE_BOTTOM, EDGE_LEFT, EDGE_RIGHT]) if (edge & bit) sides++;
  return sides;
}

/** Whether a water body's only way out of view is one side of the scene (no masked area either). */
function oneSided(edge: number): boolean {
  return sidesReached(edge) === 1 && !(edge & EDGE_MASKED);
}

export interface SeaBodies {
  /** Bodies are numbered 1 … count; `isBody(i)` says which numbers are bodies (union–find roots, say). */
  count: number;
  isBody: (i: number) => boolean;
  /** Per body: its area in pixels, and the EDGE_* bits of where it may continue out of view. */
  area: ArrayLike<number>;
  touches: ArrayLike<number>;
  sceneAreaPx: number;
  pixelAreaM2: number;
  everyOpenBody: boolean;
}

/**
 * The rule of `selectSea` (below) over bodies already joined: which are the sea (sea[i] = 1), with the
 * counts its messages use. Shared with the whole-scene mask of the vegetation edge.
 */
export function chooseSea(bodies: SeaBodies): Omit<SeaSelection, 'isSea'> & { sea: Uint8Array } {
  const { count, isBody, area, touches, sceneAreaPx, pixelAreaM2, everyOpenBody } = bodies;
  const minSeaAreaPx = Math.min(SEA_MIN_AREA_M2 / pixelAreaM2, SEA_MIN_SCENE_SHARE * sceneAreaPx);
  const isOpen = (g: number) => touches[g]! !== 0 && area[g]! >= minSeaAreaPx;
  let componentCount = 0;
  let edgeComponentCount = 0;
  let largestEdgeAreaPx = 0;
  let crossing = false;
  for (let g = 1; g <= count; g++) {
    if (!isBody(g)) continue;
    componentCount++;
    if (touches[g] === 0) continue;
    edgeComponentCount++;
    largestEdgeAreaPx = Math.max(largestEdgeAreaPx, area[g]!);
    // Only sides of the scene prove that water crosses it: a lake or lagoon that reaches one side and a
    // cloud (or a swath's nodata) must not make a sea that enters through one side look like a lake.
    if (isOpen(g) && sidesReached(touches[g]!) >= 2) crossing = true;
  }
  const isCandidate = (g: number) =>
    isBody(g) && isOpen(g) && (everyOpenBody || !(crossing && oneSided(touches[g]!)));
  let largest = 0;
  for (let g = 1; g <= count; g++) if (isCandidate(g)) largest = Math.max(largest, area[g]!);
  const sea = new Uint8Array(count + 1);
  let seaComponentCount = 0;
  let seaAreaPx = 0;
  for (let g = 1; g <= count; g++) {
    if (isCandidate(g) && (everyOpenBody || area[g]! >= SEA_MIN_SHARE * largest)) {
      sea[g] = 1;
      seaComponentCount++;
      seaAreaPx += area[g]!;
    }
  }
  return {
    sea,
    componentCount,
    seaComponentCount,
    seaAreaPx,
    edgeComponentCount,
    largestEdgeAreaPx,
    minSeaAreaPx,
    pixelAreaM2,
  };
}

/**
 * Joins the water components of all windows through the pixels their label rings share, then picks the
 * sea among the open water bodies: those that reach the scene edge or a masked area (the water may go on
 * beyond what we see) and are at least `minSeaAreaPx` (SEA_MIN_AREA_M2 of ground, given `pixelAreaM2`).
 * Smaller ones (ponds, fish farms, canals cut by the scene edge or a cloud) are no evidence of sea: with no
 * open body, there is no sea.
 *
 * The sea is the largest open body plus any other at least SEA_MIN_SHARE of its size, leaving out, when
 * some open body reaches two or more sides of the scene (or a side and a masked area), every body that
 * reaches just one side. Where a coast crosses the scene from one side to another, the sea reaches two
 * sides (it holds a corner), and so does each piece of a sea cut by a cape or a cloud bank; a lake, fish
 * farm or river cut by one side of the scene reaches just that one, however large. Bodies seen only through
 * masked areas may be the sea under a cloud, and stay. Connectivity cannot tell a lake at a corner of the
 * scene from the sea, nor a lake from a sea that enters through one side only: with `everyOpenBody`, for a
 * reference shoreline to choose, every open body is sea. `windows[i]` is window i of `grid`.
 */
export function selectSea(
  grid: WindowGrid,
  windows: readonly WindowComponentInfo[],
  options: SeaOptions,
): SeaSelection {
  const { pixelAreaM2, everyOpenBody = false } = options;
  if (!(Number.isFinite(pixelAreaM2) && pixelAreaM2 > 0)) {
    throw new RangeError(`pixel area must be a number of square metres > 0, got ${pixelAreaM2}`);
  }
  if (windows.length !== windowCount(grid)) {
    throw new RangeError(`${windows.length} windows of components for a grid of ${windowCount(grid)}`);
  }
  const offsets = new Int32Array(windows.length + 1);
  for (let i = 0; i < windows.length; i++) offsets[i + 1] = offsets[i]! + windows[i]!.componentCount;
  const total = offsets[windows.length]!;
  const uf = new UnionFind(total + 1);
  const notWater = (wi: number, k: number, owner: number) => {
    const [x, y] = ringPixel(windows[wi]!.window, k);
    return new Error(`pixel (${x}, ${y}) is water for window ${wi} but not for window ${owner}`);
  };
  // Joins the water among n ring pixels of window wi (ringLabels from `at`) to the labels window `owner`
  // (−1: outside the scene) gives the same pixels, in the same order from `theirsAt` in its edgeLabels.
  const joinRun = (wi: number, at: number, n: number, owner: number, theirsAt: number) => {
    const ring = windows[wi]!.ringLabels;
    const theirs = owner >= 0 ? windows[owner]!.edgeLabels : null;
    for (let i = 0; i < n; i++) {
      const local = ring[at + i]!;
      if (local === 0) continue;
      const label = theirs ? theirs[theirsAt + i]! : 0;
      if (label === 0) throw notWater(wi, at + i, owner);
      uf.union(offsets[wi]! + local, offsets[owner]! + label);
    }
  };
  // The same for the single ring pixel k, at (x, y).
  const joinPixel = (wi: number, k: number, x: number, y: number) => {
    const local = windows[wi]!.ringLabels[k]!;
    if (local === 0) return;
    const inside = x >= 0 && y >= 0 && x < grid.sceneWidth && y < grid.sceneHeight;
    const owner = inside ? windowIndexOf(grid, x, y) : -1;
    const other = windows[owner];
    const label = other ? edgeLabelAt(other.edgeLabels, other.window, x, y) : 0;
    if (label === 0) throw notWater(wi, k, owner);
    uf.union(offsets[wi]! + local, offsets[owner]! + label);
  };
  const { cols, rows } = grid;
  for (let wi = 0; wi < windows.length; wi++) {
    const { window: w, ringLabels } = windows[wi]!;
    const width = w.x1 - w.x0;
    const height = w.y1 - w.y0;
    if (ringLabels.length !== 2 * (width + 2) + 2 * height) {
      throw new RangeError(`window ${wi} has ${ringLabels.length} ring labels, not one per ring pixel`);
    }
    // ringLabels hold the top and bottom rows (x0 − 1 … x1), then the left and right columns (y0 … y1 − 1).
    // Along each side, the neighbour's own border row or column in its edgeLabels (top row, bottom row,
    // left column, right column; each whole) holds the same pixels. The corners are the diagonal
    // neighbours'.
    const col = wi % cols;
    const row = (wi - col) / cols;
    const bottom = width + 2;
    const left = 2 * bottom;
    const right = left + height;
    const west = col > 0 ? windows[wi - 1]!.window : null;
    const east = col < cols - 1 ? windows[wi + 1]!.window : null;
    joinRun(wi, 1, width, row > 0 ? wi - cols : -1, width);
    joinRun(wi, bottom + 1, width, row < rows - 1 ? wi + cols : -1, 0);
    joinRun(wi, left, height, west ? wi - 1 : -1, west ? 2 * (west.x1 - west.x0) + height : 0);
    joinRun(wi, right, height, east ? wi + 1 : -1, east ? 2 * (east.x1 - east.x0) : 0);
    joinPixel(wi, 0, w.x0 - 1, w.y0 - 1);
    joinPixel(wi, width + 1, w.x1, w.y0 - 1);
    joinPixel(wi, bottom, w.x0 - 1, w.y1);
    joinPixel(wi, bottom + width + 1, w.x1, w.y1);
  }
  const area = new Float64Array(total + 1);
  const touches = new Uint8Array(total + 1);
  windows.forEach((info, wi) => {
    for (let label = 1; label <= info.componentCount; label++) {
      const root = uf.find(offsets[wi]! + label);
      area[root]! += info.area[label]!;
      touches[root]! |= info.touchesEdge[label]!;
    }
  });
  const chosen = chooseSea({
    count: total,
    isBody: (g) => uf.find(g) === g,
    area,
    touches,
    sceneAreaPx: grid.sceneWidth * grid.sceneHeight,
    pixelAreaM2,
    everyOpenBody,
  });
  const { sea, ...counts } = chosen;
  // Per global label, not per root: isSea is asked once per boundary segment.
  for (let g = 1; g <= total; g++) sea[g] = sea[uf.find(g)]!;
  return { isSea: (windowIndex, label) => sea[offsets[windowIndex]! + label] === 1, ...counts };
}

/** Why `sea` holds no sea, for an error message. */
export function describeNoSea(sea: SeaSelection): string {
  const km2 = (px: number) => `${((px * sea.pixelAreaM2) / 1e6).toPrecision(2)} km²`;
  if (sea.edgeComponentCount === 0) {
    return sea.componentCount === 1
      ? 'its only water body reaches neither the scene edge nor a masked area'
      : `none of its ${sea.componentCount} water bodies reaches the scene edge or a masked area`;
  }
  const open =
    sea.edgeComponentCount === 1
      ? 'the only water body reaching the scene edge or a masked area'
      : `the largest of the ${sea.edgeComponentCount} water bodies reaching the scene edge or a masked area`;
  return `${open} covers ${km2(sea.largestEdgeAreaPx)}, and open sea needs at least ${km2(sea.minSeaAreaPx)}`;
}
