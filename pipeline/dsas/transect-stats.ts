import { fitLinearRegression, type RegressionFit } from './linear-regression.ts';
import { type RateClass, rateClass } from './rate-class.ts';
import type { TransectObservation } from './types.ts';

/** DSAS v5 change statistics of one transect. Missing values are explicit nulls, never NaN. */
export interface TransectStats {
  /** Number of shorelines that cross the transect. */
  readonly n: number;
  readonly firstYear: number | null;
  readonly lastYear: number | null;
  /** Net shoreline movement d_last − d_first, m (n ≥ 2). */
  readonly nsmM: number | null;
  /** Shoreline change envelope max d − min d, m (n ≥ 2). */
  readonly sceM: number | null;
  /** End point rate NSM / (t_last − t_first), m/yr (n ≥ 2). */
  readonly eprMPerYr: number | null;
  /** √(U_first² + U_last²) / (t_last − t_first), m/yr (n ≥ 2). */
  readonly eprUncMPerYr: number | null;
  /** Linear regression rate (n ≥ 3). */
  readonly lrr: RegressionFit | null;
  /** Weighted linear regression rate, weights 1/U² (n ≥ 3). */
  readonly wlr: RegressionFit | null;
  /** Class of the LRR, or of the EPR when there is no LRR. */
  readonly rateClass: RateClass | null;
}

/**
 * Computes NSM, SCE, EPR (with its uncertainty), LRR and WLR for one transect. The observations may come in
 * any order (they are sorted by date, on a copy); `confidence` is a fraction, e.g. 0.9.
 */
export function computeTransectStats(
  observations: readonly TransectObservation[],
  confidence: number,
): TransectStats {
  const obs = [...observations].sort((a, b) => a.yearDecimal - b.yearDecimal);
  const n = obs.length;
  if (n < 2) {
    return {
      n,
      firstYear: obs[0]?.yearDecimal ?? null,
      lastYear: obs[0]?.yearDecimal ?? null,
      nsmM: null,
      sceM: null,
      eprMPerYr: null,
      eprUncMPerYr: null,
      lrr: null,
      wlr: null,
      rateClass: null,
    };
  }
  const years = new Float64Array(n);
  const distances = new Float64Array(n);
  const weights = new Float64Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const o = obs[i]!;
    years[i] = o.yearDecimal;
    distances[i] = o.distanceM;
    weights[i] = 1 / (o.uncertaintyM * o.uncertaintyM);
    if (o.distanceM < min) min = o.distanceM;
    if (o.distanceM > max) max = o.distanceM;
  }
  const first = obs[0]!;
  const last = obs[n - 1]!;
  const spanYr = last.yearDecimal - first.yearDecimal;
  const nsmM = last.distanceM - first.distanceM;
  const eprMPerYr = spanYr > 0 ? nsmM / spanYr : null;
  const eprUncMPerYr = spanYr > 0 ? Math.hypot(first.uncertaintyM, last.uncertaintyM) / spanYr : null;
  const lrr = fitLinearRegression(years, distances, null, confidence);
  const wlr = fitLinearRegression(years, distances, weights, confidence);
  const classRate = lrr ? lrr.rateMPerYr : eprMPerYr;
  return {
    n,
    firstYear: first.yearDecimal,
    lastYear: last.yearDecimal,
    nsmM,
    sceM: max - min,
    eprMPerYr,
    eprUncMPerYr,
    lrr,
    wlr,
    rateClass: classRate === null ? null : rateClass(classRate),
  };
}
