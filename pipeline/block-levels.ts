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
 * The same water and land level everywhere: one block of `blockSize` pixels covering the whole scene
 * (synthetic scenes, warm-ups and tests).
 */
export function uniformLevels(blockSize: number, water: number, land: number): LevelGrid {
  return {
    blockSize,
    sceneNbx: 1,
    sceneNby: 1,
    bx0: 0,
    by0: 0,
    nbx: 1,
    nby: 1,
    water: Float32Array.of(water),
    land: Float32Array.of(land),
  };
}

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
  if (stats.bx0 !== 0 || stats.by0 !== 0) throw new RangeError('block statistics must cover the whole scene');
  return levelGridOfParts([stats], stats.nbx, stats.nby, spec, split);
}

/**
 * The level grid of a scene of nbx × nby blocks from the block statistics of its windows: the same as
 * buildLevelGrid of their sum (addBlockStats, in the order given), bit for bit, without building that
 * sum. A block inside one window, as most are, is reduced from that window's bins directly; only the
 * blocks windows share are added up bin by bin first.
 */
export function levelGridOfParts(
  parts: readonly BlockStats[],
  nbx: number,
  nby: number,
  spec: BlockSpec,
  split: ClassSplit,
): LevelGrid | null {
  const { bins } = spec;
  const n = nbx * nby;
  const holders = new Int32Array(n);
  for (const part of parts) {
    if (part.bx0 < 0 || part.by0 < 0 || part.bx0 + part.nbx > nbx || part.by0 + part.nby > nby) {
      throw new RangeError('block statistics fall outside the scene');
    }
    for (let j = 0; j < part.nby; j++) {
      const row = (part.by0 + j) * nbx + part.bx0;
      for (let i = 0; i < part.nbx; i++) holders[row + i]!++;
    }
  }
  const slotOf = new Int32Array(n).fill(-1);
  let slots = 0;
  for (let b = 0; b < n; b++) if (holders[b]! > 1) slotOf[b] = slots++;
  const shared: BlockStats = emptyBlockStats(spec, 0, 0, slots, 1);
  const clear = clearBins(spec, split);
  const water = new Float32Array(n).fill(Number.NaN);
  const land = new Float32Array(n).fill(Number.NaN);
  for (const part of parts) {
    for (let j = 0; j < part.nby; j++) {
      for (let i = 0; i < part.nbx; i++) {
        const b = (part.by0 + j) * nbx + part.bx0 + i;
        const from = (j * part.nbx + i) * bins;
        const slot = slotOf[b]!;
        if (slot < 0) {
          blockLevels(part.counts, part.sums, from, clear, b, water, land);
        } else {
          for (let k = 0; k < bins; k++) {
            shared.counts[slot * bins + k]! += part.counts[from + k]!;
            shared.sums[slot * bins + k]! += part.sums[from + k]!;
          }
        }
      }
    }
  }
  for (let b = 0; b < n; b++) {
    const slot = slotOf[b]!;
    if (slot >= 0) blockLevels(shared.counts, shared.sums, slot * bins, clear, b, water, land);
  }
  if (!fillFromNeighbours(water, nbx, nby) || !fillFromNeighbours(land, nbx, nby)) return null;
  return { blockSize: spec.blockSize, sceneNbx: nbx, sceneNby: nby, bx0: 0, by0: 0, nbx, nby, water, land };
}

/**
 * Sets water[b] and land[b] to the mean contour band of the block's clear-water and clear-land bins (the
 * block's bins start at `at`), or leaves them NaN with fewer than MIN_BLOCK_SAMPLES such pixels.
 */
function blockLevels(
  counts: Int32Array,
  sums: Float64Array,
  at: number,
  clear: ClearBins,
  b: number,
  water: Float32Array,
  land: Float32Array,
): void {
  // Counts and sums grow together: a bin without pixels adds exactly 0 to both.
  let lc = 0;
  let ls = 0;
  for (let k = at; k < at + clear.landBins; k++) {
    lc += counts[k]!;
    ls += sums[k]!;
  }
  let wc = 0;
  let ws = 0;
  for (let k = at + clear.waterFrom; k < at + clear.bins; k++) {
    wc += counts[k]!;
    ws += sums[k]!;
  }
  if (wc >= MIN_BLOCK_SAMPLES) water[b] = ws / wc;
  if (lc >= MIN_BLOCK_SAMPLES) land[b] = ls / lc;
}

/** Index bins entirely beyond the clear limits: [0, landBins) are clear land, [waterFrom, bins) clear water. */
interface ClearBins {
  bins: number;
  landBins: number;
  waterFrom: number;
}

function clearBins(spec: BlockSpec, split: ClassSplit): ClearBins {
  const { bins, indexMin, indexMax } = spec;
  const width = (indexMax - indexMin) / bins;
  const limits = clearLimits(split);
  // Bin bounds grow with k, so clear land is a prefix of the bins and clear water a suffix (water wins
  // a bin both claim).
  let waterFrom = bins;
  while (waterFrom > 0 && indexMin + (waterFrom - 1) * width >= limits.waterFrom) waterFrom--;
  let landBins = 0;
  while (landBins < waterFrom && indexMin + landBins * width + width <= limits.landTo) landBins++;
  return { bins, landBins, waterFrom };
}

/** Fills NaN cells with the mean of their finite 8-neighbours, ring after ring. False if all are NaN. */
function fillFromNeighbours(values: Float32Array, nx: number, ny: number): boolean {
  const n = values.length;
  // Only the next ring (NaN cells next to a finite one) is visited each round, not the whole grid.
  const queued = new Uint8Array(n);
  let ring = new Int32Array(n);
  let next = new Int32Array(n);
  let ringLength = 0;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(values[i]!)) finite++;
    else if (hasFiniteNeighbour(values, nx, ny, i)) {
      queued[i] = 1;
      ring[ringLength++] = i;
    }
  }
  if (finite === 0) return false;
  const means = new Float32Array(n);
  while (ringLength > 0) {
    // Means from the values before this ring (its cells are still NaN), then assigned together: a ring
    // never feeds itself. The NaN neighbours not queued yet make the next ring.
    let nextLength = 0;
    for (let r = 0; r < ringLength; r++) {
      const i = ring[r]!;
      const x = i % nx;
      const y = (i - x) / nx;
      const x0 = x > 0 ? x - 1 : x;
      const x1 = x < nx - 1 ? x + 1 : x;
      let sum = 0;
      let count = 0;
      for (let yy = y > 0 ? y - 1 : y; yy <= (y < ny - 1 ? y + 1 : y); yy++) {
        for (let j = yy * nx + x0; j <= yy * nx + x1; j++) {
          const v = values[j]!;
          if (!Number.isNaN(v)) {
            sum += v;
            count++;
          } else if (queued[j] === 0) {
            queued[j] = 1;
            next[nextLength++] = j;
          }
        }
      }
      means[r] = sum / count;
    }
    for (let r = 0; r < ringLength; r++) values[ring[r]!] = means[r]!;
    const done = ring;
    ring = next;
    next = done;
    ringLength = nextLength;
  }
  return true;
}

function hasFiniteNeighbour(values: Float32Array, nx: number, ny: number, i: number): boolean {
  const x = i % nx;
  const y = (i - x) / nx;
  const x0 = x > 0 ? x - 1 : x;
  const x1 = x < nx - 1 ? x + 1 : x;
  for (let yy = y > 0 ? y - 1 : y; yy <= (y < ny - 1 ? y + 1 : y); yy++) {
    for (let j = yy * nx + x0; j <= yy * nx + x1; j++) if (!Number.isNaN(values[j]!)) return true;
  }
  return false;
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
