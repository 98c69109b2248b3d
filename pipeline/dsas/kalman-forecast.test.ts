import { describe, expect, it } from 'vitest';
import { kalmanForecast } from './kalman-forecast.ts';
import { fitLinearRegression } from './linear-regression.ts';
import type { TransectObservation } from './types.ts';

function line(years: number[], at: (t: number) => number, uncertaintyM: number): TransectObservation[] {
  return years.map((yearDecimal) => ({ yearDecimal, distanceM: at(yearDecimal), uncertaintyM }));
}

function lrrOf(obs: TransectObservation[]) {
  return fitLinearRegression(
    obs.map((o) => o.yearDecimal),
    obs.map((o) => o.distanceM),
    null,
    0.9,
  );
}

describe('kalmanForecast', () => {
  const years = [2000, 2005, 2010, 2015];
  const shore = (t: number) => 100 - 2 * (t - 2000);

  it('matches the hand computation without process noise', () => {
    // A perfect line: LSE = LCI = 0, so P₀ = diag(U², 0) and R = U². Each update halves, thirds… the
    // position variance: U²/2, U²/3, U²/4, U²/5. With qf = 0 nothing is added between dates.
    const obs = line(years, shore, 10);
    const f = kalmanForecast(obs, lrrOf(obs), { qf: 0 })!;
    expect(f.rateMPerYr).toBeCloseTo(-2, 10);
    expect(f.points[0]!.year).toBeCloseTo(2025, 10);
    expect(f.points[0]!.positionM).toBeCloseTo(shore(2025), 8);
    expect(f.points[0]!.sigmaM).toBeCloseTo(10 / Math.sqrt(5), 10);
    expect(f.points[1]!.positionM).toBeCloseTo(shore(2035), 8);
    expect(f.points[1]!.sigmaM).toBeCloseTo(10 / Math.sqrt(5), 10);
  });

  it('grows the variance as qf²·T³/3 over a horizon with a known rate', () => {
    // Start like above but with the DSAS qf: after the last update, P01 and P11 come only from the process
    // noise; check the first step by hand and the horizon growth against the closed form bounds.
    const obs = line(years, shore, 10);
    const noNoise = kalmanForecast(obs, lrrOf(obs), { qf: 0 })!;
    const f = kalmanForecast(obs, lrrOf(obs), { qf: 0.1, horizonsYr: [10] })!;
    // The process noise only adds uncertainty: the 10-year σ is at least √(U²/5 + qf²·10³/3).
    const floor = Math.sqrt(100 / 5 + (0.01 * 1000) / 3);
    expect(f.points[0]!.sigmaM).toBeGreaterThan(noNoise.points[0]!.sigmaM);
    expect(f.points[0]!.sigmaM).toBeGreaterThanOrEqual(floor - 1e-9);
    // Data on a perfect line keep the forecast on the line.
    expect(f.points[0]!.positionM).toBeCloseTo(shore(2025), 6);
  });

  it('matches a step-by-step hand computation of a single update and propagation', () => {
    // Four shorelines where only the first matters for the hand check: qf = 0, no LSE, U₁ = 3, the rest
    // 1e6 (so they teach the filter nothing). Position variance after the t₁ update: 9·9/(9+9) = 4.5.
    const obs: TransectObservation[] = [
      { yearDecimal: 2000, distanceM: 50, uncertaintyM: 3 },
      { yearDecimal: 2001, distanceM: 51, uncertaintyM: 1e6 },
      { yearDecimal: 2002, distanceM: 52, uncertaintyM: 1e6 },
      { yearDecimal: 2003, distanceM: 53, uncertaintyM: 1e6 },
    ];
    const f = kalmanForecast(obs, lrrOf(obs), { qf: 0, horizonsYr: [10] })!;
    expect(f.points[0]!.positionM).toBeCloseTo(63, 6);
    expect(f.points[0]!.sigmaM).toBeCloseTo(Math.sqrt(4.5), 4);
  });

  it('gives no forecast (explicit null) with fewer than 4 shorelines or no LRR', () => {
    const three = line([2000, 2005, 2010], shore, 10);
    expect(kalmanForecast(three, lrrOf(three))).toBeNull();
    expect(kalmanForecast(line(years, shore, 10), null)).toBeNull();
  });

  it('uses the DSAS defaults: 10 and 20 years after the last date', () => {
    const obs = line([2001.3, 2004.7, 2010.2, 2016.9, 2019.45], (t) => 20 + 0.7 * (t - 2000), 8);
    const f = kalmanForecast(obs, lrrOf(obs))!;
    expect(f.points.map((p) => p.horizonYr)).toEqual([10, 20]);
    expect(f.points[0]!.year).toBeCloseTo(2029.45, 9);
    expect(f.points[1]!.year).toBeCloseTo(2039.45, 9);
    expect(f.points[1]!.sigmaM).toBeGreaterThan(f.points[0]!.sigmaM);
  });

  it('leaves its input unchanged', () => {
    const obs = line([2015, 2000, 2010, 2005], shore, 10);
    const copy = structuredClone(obs);
    kalmanForecast(obs, lrrOf(obs));
    expect(obs).toEqual(copy);
  });
});
