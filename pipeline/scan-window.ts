import { type BlockSpec, type BlockStats, emptyBlockStats } from './block-levels.ts';
import { type FrameStrips, frameOf } from './window-grid.ts';

export interface ScanWindowInput {
  width: number;
  height: number;
  /** Scene pixel coordinates of pixel (0, 0). */
  originX: number;
  originY: number;
  /** The index's two bands: index = (a − b)/(a + b)… */
  a: Float32Array;
  b: Float32Array;
  /** …unless the index is given outright (AWEI): then a and b are ignored. */
  index?: Float32Array | null;
  /** Contour band, or null. A pixel invalid in it is invalid for the index too. */
  band: Float32Array | null;
  histogram: { min: number; max: number; bins: number };
  blocks: BlockSpec;
  halo: number;
  /** When given (width × height), receives the index of every pixel, exactly as pass 2 would compute it. */
  indexOut?: Float32Array | null;
}

export interface ScanWindowOutput {
  histogramCounts: Float64Array;
  blockStats: BlockStats | null;
  indexFrame: FrameStrips;
  bandFrame: FrameStrips | null;
  validCount: number;
  /** Smallest and largest valid index (NaN when no pixel is valid). */
  indexMin: number;
  indexMax: number;
}

/**
 * Pass 1 for one window in a single sweep: the normalized-difference index, its histogram, the per-block
 * statistics of the contour band and the border frame. Fused because this runs on every pixel of the
 * scene and memory traffic, not arithmetic, is what costs.
 */
export function scanWindow(input: ScanWindowInput): ScanWindowOutput {
  const { width, height, originX, originY, a, b, band, histogram, blocks, halo } = input;
  const given = input.index ?? null;
  const indexOut = input.indexOut ?? null;
  const n = width * height;
  if (
    a.length !== n ||
    b.length !== n ||
    (band && band.length !== n) ||
    (given && given.length !== n) ||
    (indexOut && indexOut.length !== n)
  ) {
    throw new RangeError('bands must hold width × height values');
  }
  // Only the border frame of the index is kept: a row buffer, copied into the strips row by row.
  const rowIndex = new Float32Array(width);
  const hy = Math.min(halo, height);
  const hx = Math.min(halo, width);
  const indexFrame: FrameStrips = {
    halo,
    top: new Float32Array(hy * width),
    bottom: new Float32Array(hy * width),
    left: new Float32Array(height * hx),
    right: new Float32Array(height * hx),
  };
  // Integer counts: increments on an Int32Array are several times cheaper than on a Float64Array.
  const counts = new Int32Array(histogram.bins);
  const hScale = histogram.bins / (histogram.max - histogram.min);
  const hMin = histogram.min;
  const hLast = histogram.bins - 1;
  const { blockSize, bins: blockBins, indexMin: bMin, indexMax: bMax } = blocks;
  const bScale = blockBins / (bMax - bMin);
  const bLast = blockBins - 1;
  const bx0 = Math.floor(originX / blockSize);
  const by0 = Math.floor(originY / blockSize);
  const nbx = Math.floor((originX + width - 1) / blockSize) - bx0 + 1;
  const nby = Math.floor((originY + height - 1) / blockSize) - by0 + 1;
  const stats = emptyBlockStats(blocks, bx0, by0, nbx, nby);
  const blockCounts = stats.counts;
  const sums = stats.sums;
  // Block column of each pixel column, precomputed once.
  const blockOfX = new Int32Array(width);
  for (let x = 0; x < width; x++) blockOfX[x] = (Math.floor((originX + x) / blockSize) - bx0) * blockBins;
  // Without a contour band the index's second band stands in (its statistics are then unused).
  const c = band ?? b;
  let validCount = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const blockRow = (Math.floor((originY + y) / blockSize) - by0) * nbx * blockBins;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const av = a[i]!;
      const bv = b[i]!;
      const cv = c[i]!;
      const sum = av + bv;
      // NaN inputs, a zero sum or an invalid contour band all make the pixel invalid. Rounded to float32
      // here, as stored: pass 2 and the frames see exactly this value.
      const v = Math.fround(
        Number.isNaN(cv) ? Number.NaN : given ? given[i]! : sum !== 0 ? (av - bv) / sum : Number.NaN,
      );
      rowIndex[x] = v;
      if (Number.isNaN(v)) continue;
      validCount++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      // Truncation is flooring here: negative values are clamped first.
      const ht = (v - hMin) * hScale;
      counts[ht <= 0 ? 0 : ht >= hLast ? hLast : ht | 0]!++;
      const kt = (v - bMin) * bScale;
      const at = blockRow + blockOfX[x]! + (kt <= 0 ? 0 : kt >= bLast ? bLast : kt | 0);
      blockCounts[at]!++;
      sums[at]! += cv;
    }
    if (indexOut) indexOut.set(rowIndex, row);
    if (y < hy) indexFrame.top.set(rowIndex, y * width);
    if (y >= height - hy) indexFrame.bottom.set(rowIndex, (y - (height - hy)) * width);
    indexFrame.left.set(rowIndex.subarray(0, hx), y * hx);
    indexFrame.right.set(rowIndex.subarray(width - hx), y * hx);
  }
  return {
    histogramCounts: Float64Array.from(counts),
    blockStats: band ? stats : null,
    indexFrame,
    bandFrame: band ? frameOf(band, width, height, halo) : null,
    validCount,
    indexMin: validCount > 0 ? lo : Number.NaN,
    indexMax: validCount > 0 ? hi : Number.NaN,
  };
}
