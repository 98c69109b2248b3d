/**
 * Local water and land levels of the contour band (e.g. SWIR), per block of a scene-aligned grid.
 *
 * A single global threshold puts the line in the wrong place wherever the water is more turbid or the land
 * darker than average. So pass 1 collects, per block, the sum of the contour band per index bin; once the
 * global index threshold is known, the clear-water and clear-land bins give each block its own water and
 * land level, and the line is drawn where a pixel sits half-way between the two.
 *
 * Blocks are aligned to the scene, not to windows, and partial block statistics add up, so the levels do
 * not depend on how the scene was cut into windows.
 */

export interface BlockSpec {
  /** Block edge in pixels. */
  blockSize: number;
  /** Index range and number of bins per block. */
  indexMin: number;
  indexMax: number;
  bins: number;
}

export const DEFAULT_BLOCK_SPEC: BlockSpec = { blockSize: 32, indexMin: -1, indexMax: 1, bins: 40 };

/** Statistics of the blocks bx0 ≤ bx < bx0 + nbx, by0 ≤ by < by0 + nby (scene block coordinates). */
export interface BlockStats {
  bx0: number;
  by0: number;
  nbx: number;
  nby: number;
  /** [block][bin] pixel counts and contour-band sums, block index (by − by0)·nbx + (bx − bx0). */
  counts: Int32Array;
  /** Float64 so that sums of integer digital numbers stay exact whatever the window split. */
  sums: Float64Array;
}

export function emptyBlockStats(
  spec: BlockSpec,
  bx0: number,
  by0: number,
  nbx: number,
  nby: number,
): BlockStats {
  return {
    bx0,
    by0,
    nbx,
    nby,
    counts: new Int32Array(nbx * nby * spec.bins),
    sums: new Float64Array(nbx * nby * spec.bins),
  };
}

/**
 * Block statistics of one window: `index` and `band` cover pixels [originX, originX + width) ×
 * [originY, originY + height). Pixels where either is NaN are skipped.
 */
export function blockStatsOf(
  index: Float32Array,
  band: Float32Array,
  width: number,
  height: number,
  originX: number,
  originY: number,
  spec: BlockSpec,
): BlockStats {
  if (index.length !== width * height || band.length !== width * height) {
    throw new RangeError('index and band must hold width × height values');
  }
  const { blockSize, bins, indexMin, indexMax } = spec;
  const bx0 = Math.floor(originX / blockSize);
  const by0 = Math.floor(originY / blockSize);
  const nbx = Math.floor((originX + width - 1) / blockSize) - bx0 + 1;
  const nby = Math.floor((originY + height - 1) / blockSize) - by0 + 1;
  const stats = emptyBlockStats(spec, bx0, by0, nbx, nby);
  const { counts, sums } = stats;
  const scale = bins / (indexMax - indexMin);
  for (let y = 0; y < height; y++) {
    const blockRow = (Math.floor((originY + y) / blockSize) - by0) * nbx;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = index[row + x]!;
      const b = band[row + x]!;
      if (Number.isNaN(v) || Number.isNaN(b)) continue;
      let bin = Math.floor((v - indexMin) * scale);
      if (bin < 0) bin = 0;
      else if (bin >= bins) bin = bins - 1;
      const at = (blockRow + Math.floor((originX + x) / blockSize) - bx0) * bins + bin;
      counts[at]! += 1;
      sums[at]! += b;
    }
  }
  return stats;
}

/** Adds `part` into `total` (which must cover it). Mutates `total`: it is the accumulator. */
export function addBlockStats(total: BlockStats, part: BlockStats, spec: BlockSpec): void {
  const { bins } = spec;
  if (
    part.bx0 < total.bx0 ||
    part.by0 < total.by0 ||
    part.bx0 + part.nbx > total.bx0 + total.nbx ||
    part.by0 + part.nby > total.by0 + total.nby
  ) {
    throw new RangeError('block statistics fall outside the accumulator');
  }
  for (let j = 0; j < part.nby; j++) {
    for (let i = 0; i < part.nbx; i++) {
      const from = (j * part.nbx + i) * bins;
      const to = ((part.by0 + j - total.by0) * total.nbx + (part.bx0 + i - total.bx0)) * bins;
      for (let k = 0; k < bins; k++) {
        total.counts[to + k]! += part.counts[from + k]!;
        total.sums[to + k]! += part.sums[from + k]!;
      }
    }
  }
}

export interface LevelGrid {
  blockSize: number;
  /** Blocks across and down the whole scene (a slice keeps them, to interpolate like the whole grid). */
  sceneNbx: number;
  sceneNby: number;
  bx0: number;
  by0: number;
  nbx: number;
  nby: number;
  /** Contour-band level of clear water / clear land at each block centre (always finite). */
  water: Float32Array;
  land: Float32Array;
}

export interface ClassSplit {
  threshold: number;
  /** Mean index of the water (upper) and land (lower) classes. */
  waterMean: number;
  landMean: number;
}

/** Fewest clear pixels for a block to have its own level (fewer: it borrows its neighbours'). */
const MIN_BLOCK_SAMPLES = 24;

/**
 * Index limits beyond which a pixel is clearly water or clearly land: half-way from the threshold to
 * each class mean. Pixels in between are mixed or ambiguous and do not inform the levels.
 */
export function clearLimits(split: ClassSplit): { waterFrom: number; landTo: number } {
  return {
    waterFrom: split.threshold + 0.5 * (split.waterMean - split.threshold),
    landTo: split.threshold - 0.5 * (split.threshold - split.landMean),
  };
}

/**
 * Per-block water and land levels. Blocks without enough clear pixels of a class take the mean of their
 * nearest neighbours that have (filled ring by ring), so every block gets a level. Returns null when the
 * whole scene lacks clear water or clear land pixels. `stats` must cover the whole scene.
 */
export function buildLevelGrid(stats: BlockStats, spec: BlockSpec, split: ClassSplit): LevelGrid | null {
  const { bins, indexMin, indexMax } = spec;
  const width = (indexMax - indexMin) / bins;
  const { waterFrom, landTo } = clearLimits(split);
  const n = stats.nbx * stats.nby;
  const water = new Float32Array(n).fill(Number.NaN);
  const land = new Float32Array(n).fill(Number.NaN);
  for (let b = 0; b < n; b++) {
    let wc = 0;
    let ws = 0;
    let lc = 0;
    let ls = 0;
    for (let k = 0; k < bins; k++) {
      const lower = indexMin + k * width;
      const c = stats.counts[b * bins + k]!;
      if (c === 0) continue;
      if (lower >= waterFrom) {
        wc += c;
        ws += stats.sums[b * bins + k]!;
      } else if (lower + width <= landTo) {
        lc += c;
        ls += stats.sums[b * bins + k]!;
      }
    }
    if (wc >= MIN_BLOCK_SAMPLES) water[b] = ws / wc;
    if (lc >= MIN_BLOCK_SAMPLES) land[b] = ls / lc;
  }
  if (!fillFromNeighbours(water, stats.nbx, stats.nby) || !fillFromNeighbours(land, stats.nbx, stats.nby)) {
    return null;
  }
  return {
    blockSize: spec.blockSize,
    sceneNbx: stats.nbx,
    sceneNby: stats.nby,
    bx0: stats.bx0,
    by0: stats.by0,
    nbx: stats.nbx,
    nby: stats.nby,
    water,
    land,
  };
}

/** Fills NaN cells with the mean of their finite 8-neighbours, ring after ring. False if all are NaN. */
function fillFromNeighbours(values: Float32Array, nx: number, ny: number): boolean {
  const n = values.length;
  // The next ring: NaN cells next to a finite one. Only those are visited, not the whole grid per ring.
  const queued = new Uint8Array(n);
  let ring: number[] = [];
  const enqueueNeighbours = (i: number, into: number[]) => {
    const x = i % nx;
    const y = (i - x) / nx;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= ny) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= nx) continue;
        const j = yy * nx + xx;
        if (queued[j] === 0 && Number.isNaN(values[j]!)) {
          queued[j] = 1;
          into.push(j);
        }
      }
    }
  };
  let finite = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i]!)) continue;
    finite++;
    enqueueNeighbours(i, ring);
  }
  if (finite === 0) return false;
  const means = new Float32Array(n);
  while (ring.length > 0) {
    // Means from the values before this ring, then assigned together: a ring never feeds itself.
    for (const i of ring) {
      const x = i % nx;
      const y = (i - x) / nx;
      let sum = 0;
      let count = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= ny) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= nx) continue;
          const v = values[yy * nx + xx]!;
          if (!Number.isNaN(v)) {
            sum += v;
            count++;
          }
        }
      }
      means[i] = sum / count;
    }
    for (const i of ring) values[i] = means[i]!;
    const next: number[] = [];
    for (const i of ring) enqueueNeighbours(i, next);
    ring = next;
  }
  return true;
}

/** The part of a level grid covering blocks [bx0, bx1) × [by0, by1) (clipped), for shipping to a worker. */
export function sliceLevelGrid(
  grid: LevelGrid,
  bx0: number,
  by0: number,
  bx1: number,
  by1: number,
): LevelGrid {
  const x0 = Math.max(bx0, grid.bx0);
  const y0 = Math.max(by0, grid.by0);
  const x1 = Math.min(bx1, grid.bx0 + grid.nbx);
  const y1 = Math.min(by1, grid.by0 + grid.nby);
  const nbx = Math.max(0, x1 - x0);
  const nby = Math.max(0, y1 - y0);
  const water = new Float32Array(nbx * nby);
  const land = new Float32Array(nbx * nby);
  for (let j = 0; j < nby; j++) {
    const from = (y0 + j - grid.by0) * grid.nbx + (x0 - grid.bx0);
    water.set(grid.water.subarray(from, from + nbx), j * nbx);
    land.set(grid.land.subarray(from, from + nbx), j * nbx);
  }
  return { ...grid, bx0: x0, by0: y0, nbx, nby, water, land };
}

/**
 * Bilinear interpolation of the levels between block centres, at scene pixel-centre coordinates (x, y).
 * Outside the outermost centres of the scene the nearest centre's value holds. The arithmetic runs in
 * scene block coordinates, so a slice gives bit-identical values to the whole grid. `out` receives
 * [water, land].
 */
export function sampleLevels(grid: LevelGrid, x: number, y: number, out: Float64Array): void {
  const bs = grid.blockSize;
  const sx = grid.sceneNbx;
  const sy = grid.sceneNby;
  // The centre of block b sits at pixel-centre coordinate (b + 0.5)·bs − 0.5.
  let fx = (x + 0.5) / bs - 0.5;
  let fy = (y + 0.5) / bs - 0.5;
  if (fx < 0) fx = 0;
  else if (fx > sx - 1) fx = sx - 1;
  if (fy < 0) fy = 0;
  else if (fy > sy - 1) fy = sy - 1;
  const ix = Math.min(Math.floor(fx), Math.max(0, sx - 2));
  const iy = Math.min(Math.floor(fy), Math.max(0, sy - 2));
  const tx = sx > 1 ? fx - ix : 0;
  const ty = sy > 1 ? fy - iy : 0;
  const lx = ix - grid.bx0;
  const ly = iy - grid.by0;
  const lx1 = sx > 1 ? lx + 1 : lx;
  const ly1 = sy > 1 ? ly + 1 : ly;
  if (lx < 0 || ly < 0 || lx1 >= grid.nbx || ly1 >= grid.nby) {
    throw new RangeError(`level grid slice does not cover pixel (${x}, ${y})`);
  }
  const a = ly * grid.nbx + lx;
  const b = ly * grid.nbx + lx1;
  const c = ly1 * grid.nbx + lx;
  const d = ly1 * grid.nbx + lx1;
  const w = grid.water;
  const l = grid.land;
  out[0] = (w[a]! * (1 - ty) + w[c]! * ty) * (1 - tx) + (w[b]! * (1 - ty) + w[d]! * ty) * tx;
  out[1] = (l[a]! * (1 - ty) + l[c]! * ty) * (1 - tx) + (l[b]! * (1 - ty) + l[d]! * ty) * tx;
}

/** Blocks [bx0, bx1) × [by0, by1) a slice needs so `sampleLevels` works over a pixel rectangle. */
export function blocksForPixels(
  grid: { blockSize: number; sceneNbx: number; sceneNby: number },
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): { bx0: number; by0: number; bx1: number; by1: number } {
  const bs = grid.blockSize;
  const lo = (p: number, n: number) => Math.max(0, Math.min(Math.floor((p + 0.5) / bs - 0.5), n - 2));
  const hi = (p: number, n: number) => Math.min(n, Math.max(Math.floor((p + 0.5) / bs - 0.5), 0) + 2);
  return {
    bx0: lo(x0, grid.sceneNbx),
    by0: lo(y0, grid.sceneNby),
    bx1: hi(x1 - 1, grid.sceneNbx),
    by1: hi(y1 - 1, grid.sceneNby),
  };
}
