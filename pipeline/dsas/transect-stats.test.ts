import { describe, expect, it } from 'vitest';
import { fitLinearRegression, predictAt } from './linear-regression.ts';
import { computeTransectStats } from './transect-stats.ts';
import type { TransectObservation } from './types.ts';

// The DSAS v5 user guide's test transect.
const DSAS_T = [1859.9, 1924.5, 1937.6, 1956.8, 1970.6, 1973.8, 1977.6, 1999.8, 2006, 2016.3, 2017.3];
const DSAS_D = [120.3, 389.4, 101.1, 59.1, 39.7, -42.8, 45.3, -95.4, 56.1, 12.2, -5.6];

function observations(years: number[], distances: number[], uncertainties?: number[]): TransectObservation[] {
  return years.map((yearDecimal, i) => ({
    yearDecimal,
    distanceM: distances[i]!,
    uncertaintyM: uncertainties?.[i] ?? 10,
  }));
}

describe('computeTransectStats', () => {
  it('reproduces the DSAS v5 test transect (LRR, LSE, LCI90)', () => {
    const stats = computeTransectStats(observations(DSAS_T, DSAS_D), 0.9);
    expect(stats.lrr!.rateMPerYr).toBeCloseTo(-1.52, 2);
    // The guide prints LSE with one decimal, so the check is to its rounding (±0.05 m).
    expect(stats.lrr!.seM).toBeCloseTo(107.8, 1);
    expect(stats.lrr!.ciMPerYr).toBeCloseTo(1.33, 2);
    expect(stats.n).toBe(11);
    // Equal uncertainties make the WLR equal to the LRR slope.
    expect(stats.wlr!.rateMPerYr).toBeCloseTo(stats.lrr!.rateMPerYr, 10);
    expect(stats.rateClass).toBe('critical_erosion');
  });

  it('gives the hand-computed NSM, SCE, EPR and EPR uncertainty, whatever the input order', () => {
    // d: 2000 → 100, 2004 → 90, 2010 → 120, 2020 → 80; U first 3, last 4.
    const obs = observations([2010, 2000, 2020, 2004], [120, 100, 80, 90], [10, 3, 4, 10]);
    const stats = computeTransectStats(obs, 0.9);
    expect(stats.nsmM).toBe(-20);
    expect(stats.sceM).toBe(40);
    expect(stats.eprMPerYr).toBe(-1);
    expect(stats.eprUncMPerYr).toBeCloseTo(5 / 20, 12);
    expect(stats.firstYear).toBe(2000);
    expect(stats.lastYear).toBe(2020);
  });

  it('gives the hand-computed WLR', () => {
    // Points (0, 0), (1, 1), (2, 0) in years after 2000 with U = 1, 1, 0.5 → weights 1, 1, 4.
    // t̄w = (0 + 1 + 8)/6 = 1.5, d̄w = 1/6; Sxx = 2.25 + 0.25 + 4·0.25 = 3.5;
    // Sxy = (−1.5)(−1/6) + (−0.5)(5/6) + 4(0.5)(−1/6) = 0.25 − 5/12 − 1/3 = −0.5 → slope −1/7.
    const stats = computeTransectStats(observations([2000, 2001, 2002], [0, 1, 0], [1, 1, 0.5]), 0.9);
    const wlr = stats.wlr!;
    expect(wlr.rateMPerYr).toBeCloseTo(-1 / 7, 12);
    // Residuals from d = 1/6 − (t − 1.5)/7: −(1/6 + 1.5/7), 1 − (1/6 + 0.5/7), −(1/6 − 0.5/7).
    const r = [-(1 / 6 + 1.5 / 7), 1 - (1 / 6 + 0.5 / 7), -(1 / 6 - 0.5 / 7)];
    const ssRes = r[0]! ** 2 + r[1]! ** 2 + 4 * r[2]! ** 2;
    expect(wlr.seM).toBeCloseTo(Math.sqrt(ssRes / 1), 12);
    const syy = (1 / 6) ** 2 + (5 / 6) ** 2 + 4 * (1 / 6) ** 2;
    expect(wlr.r2).toBeCloseTo(1 - ssRes / syy, 12);
    // t(0.95, 1) = 6.313752.
    expect(wlr.ciMPerYr).toBeCloseTo((6.313752 * wlr.seM) / Math.sqrt(3.5), 5);
    // The unweighted fit of the same points is flat.
    expect(stats.lrr!.rateMPerYr).toBeCloseTo(0, 12);
  });

  it('has explicit nulls (not NaN) for LRR and WLR when n < 3', () => {
    const stats = computeTransectStats(observations([2000, 2010], [50, 40]), 0.9);
    expect(stats.lrr).toBeNull();
    expect(stats.wlr).toBeNull();
    expect(stats.eprMPerYr).toBe(-1);
    expect(stats.rateClass).toBe('erosion');
    expect(JSON.parse(JSON.stringify(stats)).lrr).toBeNull();
  });

  it('has explicit nulls for everything but n when n < 2', () => {
    const one = computeTransectStats(observations([2000], [50]), 0.9);
    expect(one).toMatchObject({ n: 1, nsmM: null, sceM: null, eprMPerYr: null, lrr: null, rateClass: null });
    const none = computeTransectStats([], 0.9);
    expect(none).toMatchObject({ n: 0, firstYear: null, nsmM: null, eprUncMPerYr: null, wlr: null });
  });

  it('leaves its input unchanged', () => {
    const obs = observations([2010, 2000, 2020, 2004], [120, 100, 80, 90]);
    const copy = structuredClone(obs);
    computeTransectStats(obs, 0.9);
    expect(obs).toEqual(copy);
  });
});

describe('fitLinearRegression', () => {
  it('fits a perfect line with R² = 1 and zero error', () => {
    const fit = fitLinearRegression([2000, 2005, 2010], [10, 20, 30], null, 0.95)!;
    expect(fit.rateMPerYr).toBeCloseTo(2, 12);
    expect(fit.r2).toBe(1);
    expect(fit.seM).toBeCloseTo(0, 12);
    expect(predictAt(fit, 2020)).toBeCloseTo(50, 10);
  });

  it('returns null when all dates are equal', () => {
    expect(fitLinearRegression([2000, 2000, 2000], [1, 2, 3], null, 0.9)).toBeNull();
  });
});
