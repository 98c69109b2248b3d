import type { PixelWindow } from '../sources/scene-source.ts';
import { edgeLabelAt, ringPixel } from './contour-window.ts';
import { UnionFind } from './union-find.ts';
import { type WindowGrid, windowCount, windowIndexOf } from './window-grid.ts';

/**
 * An edge-touching water body at least this share of the largest one is sea too: the sea can reach the
 * scene edge in several pieces (split by a headland or by nodata), while ponds and canals cut by the
 * scene edge stay far smaller.
 */
export const SEA_MIN_SHARE = 0.1;

export interface WindowComponentInfo {
  window: PixelWindow;
  componentCount: number;
  area: Float64Array;
  touchesEdge: Uint8Array;
  ringLabels: Int32Array;
  edgeLabels: Int32Array;
}

export interface SeaSelection {
  /** Whether local label `label` (≥ 1) of window `windowIndex` is part of the sea. */
  isSea(windowIndex: number, label: number): boolean;
  /** Water bodies in the scene, and how many of them count as sea. */
  componentCount: number;
  seaComponentCount: number;
  seaAreaPx: number;
}

/**
 * Joins the water components of all windows through the pixels their label rings share, then picks the
 * sea: the largest water body touching the scene edge (or nodata), plus any other edge-touching body at
 * least SEA_MIN_SHARE of its size. Everything else (ponds, lakes, canals) is inland water. `windows[i]` is
 * window i of `grid`.
 */
export function selectSea(grid: WindowGrid, windows: readonly WindowComponentInfo[]): SeaSelection {
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
      if (info.touchesEdge[label]) touches[root] = 1;
    }
  });
  let largest = 0;
  let componentCount = 0;
  for (let g = 1; g <= total; g++) {
    if (uf.find(g) !== g) continue;
    componentCount++;
    if (touches[g] && area[g]! > largest) largest = area[g]!;
  }
  const sea = new Uint8Array(total + 1);
  let seaComponentCount = 0;
  let seaAreaPx = 0;
  if (largest > 0) {
    for (let g = 1; g <= total; g++) {
      if (uf.find(g) === g && touches[g] && area[g]! >= SEA_MIN_SHARE * largest) {
        sea[g] = 1;
        seaComponentCount++;
        seaAreaPx += area[g]!;
      }
    }
  }
  // Per global label, not per root: isSea is asked once per boundary segment.
  for (let g = 1; g <= total; g++) sea[g] = sea[uf.find(g)]!;
  return {
    isSea: (windowIndex, label) => sea[offsets[windowIndex]! + label] === 1,
    componentCount,
    seaComponentCount,
    seaAreaPx,
  };
}
