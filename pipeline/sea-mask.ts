import type { PixelWindow } from '../sources/scene-source.ts';
import { edgeLabelAt, ringPixel } from './contour-window.ts';
import { UnionFind } from './union-find.ts';
import { type WindowGrid, windowAt, windowIndexOf } from './window-grid.ts';

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
 * least SEA_MIN_SHARE of its size. Everything else (ponds, lakes, canals) is inland water.
 */
export function selectSea(grid: WindowGrid, windows: readonly WindowComponentInfo[]): SeaSelection {
  const offsets = new Int32Array(windows.length + 1);
  for (let i = 0; i < windows.length; i++) offsets[i + 1] = offsets[i]! + windows[i]!.componentCount;
  const total = offsets[windows.length]!;
  const uf = new UnionFind(total + 1);
  windows.forEach((info, wi) => {
    const w = info.window;
    for (let k = 0; k < info.ringLabels.length; k++) {
      const local = info.ringLabels[k]!;
      if (local === 0) continue;
      const [x, y] = ringPixel(w, k);
      const owner = windowIndexOf(grid, x, y);
      const other = windows[owner];
      if (!other) throw new Error(`no components for window ${owner}`);
      const theirs = edgeLabelAt(other.edgeLabels, windowAt(grid, owner), x, y);
      if (theirs === 0) {
        throw new Error(`pixel (${x}, ${y}) is water for window ${wi} but not for window ${owner}`);
      }
      uf.union(offsets[wi]! + local, offsets[owner]! + theirs);
    }
  });
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
  return {
    isSea: (windowIndex, label) => sea[uf.find(offsets[windowIndex]! + label)] === 1,
    componentCount,
    seaComponentCount,
    seaAreaPx,
  };
}
