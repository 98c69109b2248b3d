/**
 * Otsu's threshold over a histogram. Histograms are built per window and merged, so the threshold of a
 * scene read in windows is exactly the one of the whole scene, whatever the window size.
 */

export interface ValueHistogram {
  /** Values below `min` count in the first bin, above `max` in the last. */
  min: number;
  max: number;
  counts: Float64Array;
}

export interface OtsuResult {
  /** Values strictly above the threshold form the upper class (water, for a water index). */
  threshold: number;
  /** Mean of the values below / above the threshold (bin centres). */
  lowerMean: number;
  upperMean: number;
  lowerCount: number;
  upperCount: number;
  /** Between-class variance over total variance, in [0, 1]: near 1 for two well-separated modes. */
  separability: number;
}

export const DEFAULT_HISTOGRAM_BINS = 2000;

export function emptyHistogram(min: number, max: number, bins = DEFAULT_HISTOGRAM_BINS): ValueHistogram {
  if (!(max > min)) throw new RangeError(`histogram range must be increasing, got [${min}, ${max}]`);
  if (!Number.isInteger(bins) || bins < 2)
    throw new RangeError(`histogram needs at least 2 bins, got ${bins}`);
  return { min, max, counts: new Float64Array(bins) };
}

export function binOf(h: ValueHistogram, value: number): number {
  const bins = h.counts.length;
  const bin = Math.floor(((value - h.min) / (h.max - h.min)) * bins);
  return bin < 0 ? 0 : bin >= bins ? bins - 1 : bin;
}

/** Histogram of the finite values (NaN, ±Infinity are skipped: they are invalid pixels). */
export function histogramOf(
  values: Float32Array,
  min: number,
  max: number,
  bins = DEFAULT_HISTOGRAM_BINS,
): ValueHistogram {
  const h = emptyHistogram(min, max, bins);
  const counts = h.counts;
  const scale = bins / (max - min);
  const last = bins - 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    let bin = Math.floor((v - min) * scale);
    if (bin < 0) bin = 0;
    else if (bin > last) bin = last;
    counts[bin]! += 1;
  }
  return h;
}

export function mergeHistograms(histograms: readonly ValueHistogram[]): ValueHistogram {
  const first = histograms[0];
  if (!first) throw new RangeError('no histograms to merge');
  const out = emptyHistogram(first.min, first.max, first.counts.length);
  for (const h of histograms) {
    if (h.min !== first.min || h.max !== first.max || h.counts.length !== first.counts.length) {
      throw new RangeError('histograms with different binning cannot be merged');
    }
    for (let i = 0; i < h.counts.length; i++) out.counts[i]! += h.counts[i]!;
  }
  return out;
}

export function histogramTotal(h: ValueHistogram): number {
  let total = 0;
  for (let i = 0; i < h.counts.length; i++) total += h.counts[i]!;
  return total;
}

/** Class counts and means of the values either side of `threshold` (by bin centre). */
export function splitAt(
  h: ValueHistogram,
  threshold: number,
): Omit<OtsuResult, 'separability' | 'threshold'> {
  const bins = h.counts.length;
  const width = (h.max - h.min) / bins;
  let lowerCount = 0;
  let lowerSum = 0;
  let upperCount = 0;
  let upperSum = 0;
  for (let i = 0; i < bins; i++) {
    const c = h.counts[i]!;
    if (c === 0) continue;
    const centre = h.min + (i + 0.5) * width;
    if (centre > threshold) {
      upperCount += c;
      upperSum += c * centre;
    } else {
      lowerCount += c;
      lowerSum += c * centre;
    }
  }
  return {
    lowerMean: lowerCount > 0 ? lowerSum / lowerCount : Number.NaN,
    upperMean: upperCount > 0 ? upperSum / upperCount : Number.NaN,
    lowerCount,
    upperCount,
  };
}

/**
 * Otsu (1979): the bin edge that maximises the between-class variance. Returns null when the histogram
 * holds fewer than two distinct bins, since no threshold separates anything then.
 */
export function otsuThreshold(h: ValueHistogram): OtsuResult | null {
  const bins = h.counts.length;
  const width = (h.max - h.min) / bins;
  let total = 0;
  let sumAll = 0;
  let sumSqAll = 0;
  for (let i = 0; i < bins; i++) {
    const c = h.counts[i]!;
    const centre = h.min + (i + 0.5) * width;
    total += c;
    sumAll += c * centre;
    sumSqAll += c * centre * centre;
  }
  if (total === 0) return null;
  let bestVariance = -1;
  let bestBin = -1;
  let lowerCount = 0;
  let lowerSum = 0;
  for (let i = 0; i < bins - 1; i++) {
    const c = h.counts[i]!;
    lowerCount += c;
    lowerSum += c * (h.min + (i + 0.5) * width);
    const upperCount = total - lowerCount;
    if (lowerCount === 0 || upperCount === 0) continue;
    const meanLower = lowerSum / lowerCount;
    const meanUpper = (sumAll - lowerSum) / upperCount;
    const d = meanLower - meanUpper;
    const variance = lowerCount * upperCount * d * d;
    // Strictly greater keeps the first of equal maxima; flat stretches between modes then resolve to
    // their middle below.
    if (variance > bestVariance) {
      bestVariance = variance;
      bestBin = i;
    }
  }
  if (bestBin < 0) return null;
  // Empty bins right after the best split do not change the variance: put the threshold in the middle of
  // that empty gap rather than hugging the lower mode.
  let gapEnd = bestBin;
  while (gapEnd + 1 < bins - 1 && h.counts[gapEnd + 1] === 0) gapEnd++;
  const threshold = h.min + ((bestBin + 1 + gapEnd + 1) / 2) * width;
  const split = splitAt(h, threshold);
  const mean = sumAll / total;
  const totalVariance = sumSqAll / total - mean * mean;
  const betweenVariance = bestVariance / (total * total);
  return {
    threshold,
    ...split,
    separability: totalVariance > 0 ? Math.min(1, betweenVariance / totalVariance) : 0,
  };
}
