import { studentTQuantile } from './student-t-quantile.ts';

/** A least-squares fit of distance (m) against time (decimal years), as DSAS reports it. */
export interface RegressionFit {
  /** The slope: LRR or WLR, m/yr. */
  readonly rateMPerYr: number;
  /** The fitted distance at `referenceYear`, m (a centred intercept keeps the numbers well conditioned). */
  readonly interceptM: number;
  readonly referenceYear: number;
  /** Coefficient of determination, 0–1 (1 when every point lies on the line, including a flat one). */
  readonly r2: number;
  /** Standard error of the estimate, √(Σ w·res² / (n − 2)), m (LSE / WSE). */
  readonly seM: number;
  /** Half-width of the confidence interval of the slope, t(n−2, 1−α/2)·SE/√Σ w(t−t̄)², m/yr (LCI / WCI). */
  readonly ciMPerYr: number;
}

/** The fewest points a regression rate (LRR, WLR) is fitted to: with two, the line has no residual. */
export const MIN_REGRESSION_POINTS = 3;

/** Why a series of `dates` shorelines has no regression rates, for the user; null when it has enough. */
export function regressionShortfall(dates: number): string | null {
  return dates < MIN_REGRESSION_POINTS
    ? `rates by regression (LRR, WLR) need ${MIN_REGRESSION_POINTS} or more shoreline dates; with ${dates}, ` +
        'each transect has only NSM and EPR'
    : null;
}

/**
 * Weighted least squares of d on t (weights w; all 1 for LRR, 1/U² for WLR) as defined by DSAS v5. Needs
 * n ≥ MIN_REGRESSION_POINTS points at two or more distinct times, else returns null. `confidence` is a
 * fraction (0.9 for 90 %).
 */
export function fitLinearRegression(
  years: ArrayLike<number>,
  distancesM: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  confidence: number,
): RegressionFit | null {
  const n = years.length;
  if (n < MIN_REGRESSION_POINTS) return null;
  let sw = 0;
  let swt = 0;
  let swd = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    sw += w;
    swt += w * years[i]!;
    swd += w * distancesM[i]!;
  }
  const tMean = swt / sw;
  const dMean = swd / sw;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const dt = years[i]! - tMean;
    const dd = distancesM[i]! - dMean;
    sxx += w * dt * dt;
    sxy += w * dt * dd;
    syy += w * dd * dd;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    const res = distancesM[i]! - (dMean + slope * (years[i]! - tMean));
    ssRes += w * res * res;
  }
  const seM = Math.sqrt(ssRes / (n - 2));
  const r2 = syy > 0 ? Math.max(0, 1 - ssRes / syy) : 1;
  const tCrit = cachedTQuantile(1 - (1 - confidence) / 2, n - 2);
  return {
    rateMPerYr: slope,
    interceptM: dMean,
    referenceYear: tMean,
    r2,
    seM,
    ciMPerYr: (tCrit * seM) / Math.sqrt(sxx),
  };
}

/** The fitted distance (m) at `year`. */
export function predictAt(fit: RegressionFit, year: number): number {
  return fit.interceptM + fit.rateMPerYr * (year - fit.referenceYear);
}

// Thousands of transects share a handful of (confidence, n) pairs; the quantile solve is the costly part.
const T_CACHE = new Map<string, number>();

function cachedTQuantile(p: number, df: number): number {
  const key = `${p}|${df}`;
  let t = T_CACHE.get(key);
  if (t === undefined) {
    t = studentTQuantile(p, df);
    if (T_CACHE.size < 10_000) T_CACHE.set(key, t);
  }
  return t;
}
