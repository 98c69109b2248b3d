import { CLASS_INVALID, CLASS_WATER } from './marching-squares.ts';
import { UnionFind } from './union-find.ts';

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
   * Indexed by label: 1 when a core pixel of the component lies on the scene border or next to an
   * invalid pixel, i.e. the water may continue beyond what we can see.
   */
  touchesEdge: Uint8Array;
}

/**
 * Labels 8-connected water over `region` (default: the whole grid), and measures each component over
 * `core` (default: the region). Labelling a region one pixel larger than the core lets a caller identify
 * the components of neighbouring windows through the pixels they share, so components join exactly
 * across window seams.
 */
export function labelWaterComponents(
  grid: { width: number; height: number; classes: Uint8Array },
  frame: SceneFrame,
  region: GridRect = { x0: 0, y0: 0, x1: grid.width, y1: grid.height },
  core: GridRect = region,
): WaterComponents {
  const { width, height, classes } = grid;
  if (classes.length !== width * height) throw new RangeError('classes must hold width × height values');
  if (region.x0 < 0 || region.y0 < 0 || region.x1 > width || region.y1 > height) {
    throw new RangeError('region must lie inside the grid');
  }
  if (core.x0 < region.x0 || core.y0 < region.y0 || core.x1 > region.x1 || core.y1 > region.y1) {
    throw new RangeError('core must lie inside the region');
  }
  const labels = new Int32Array(width * height);
  const uf = new UnionFind(1024);
  let next = 1;
  for (let y = region.y0; y < region.y1; y++) {
    const row = y * width;
    const up = row - width;
    const hasUp = y > region.y0;
    for (let x = region.x0; x < region.x1; x++) {
      if (classes[row + x] !== CLASS_WATER) continue;
      // Already-visited 8-neighbours: W, NW, N, NE.
      let label = x > region.x0 ? labels[row + x - 1]! : 0;
      if (hasUp) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < region.x0 || xx >= region.x1) continue;
          const n = labels[up + xx]!;
          if (n === 0 || n === label) continue;
          if (label === 0) label = n;
          else uf.union(label, n);
        }
      }
      if (label === 0) {
        label = next++;
        uf.ensure(next);
      }
      labels[row + x] = label;
    }
  }
  // Second pass: compact roots to 1..count.
  const compact = new Int32Array(next);
  let count = 0;
  for (let i = 1; i < next; i++) {
    const root = uf.find(i);
    if (compact[root] === 0) compact[root] = ++count;
    compact[i] = compact[root]!;
  }
  const area = new Float64Array(count + 1);
  const touchesEdge = new Uint8Array(count + 1);
  const { originX, originY, sceneWidth, sceneHeight } = frame;
  for (let y = region.y0; y < region.y1; y++) {
    const row = y * width;
    const inCoreY = y >= core.y0 && y < core.y1;
    for (let x = region.x0; x < region.x1; x++) {
      const provisional = labels[row + x]!;
      if (provisional === 0) continue;
      const label = compact[provisional]!;
      labels[row + x] = label;
      if (!inCoreY || x < core.x0 || x >= core.x1) continue;
      area[label]! += 1;
      if (touchesEdge[label]) continue;
      const sx = originX + x;
      const sy = originY + y;
      if (sx === 0 || sy === 0 || sx === sceneWidth - 1 || sy === sceneHeight - 1) {
        touchesEdge[label] = 1;
        continue;
      }
      if (nextToInvalid(classes, width, height, x, y)) touchesEdge[label] = 1;
    }
  }
  return { labels, count, area, touchesEdge };
}

function nextToInvalid(classes: Uint8Array, width: number, height: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= height) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= width) continue;
      if (classes[yy * width + xx] === CLASS_INVALID) return true;
    }
  }
  return false;
}
