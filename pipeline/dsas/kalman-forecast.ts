import type { RegressionFit } from './linear-regression.ts';
import { predictAt } from './linear-regression.ts';
import type { TransectObservation } from './types.ts';

export interface KalmanOptions {
  /** Time step of the filter, years (DSAS v5: 0.1). */
  readonly dtYr?: number;
  /** Process-noise factor (DSAS v5: 0.1). */
  readonly qf?: number;
  /** Forecast horizons after the last shoreline date, years (default 10 and 20). */
  readonly horizonsYr?: readonly number[];
}

export interface ForecastPoint {
  readonly horizonYr: number;
  /** Decimal year of the forecast (last shoreline date + horizon). */
  readonly year: number;
  /** Forecast distance along the transect, m (positive seaward). */
  readonly positionM: number;
  /** 1σ of that position, m. */
  readonly sigmaM: number;
}

export interface TransectForecast {
  /** The filtered rate after the last shoreline, m/yr. */
  readonly rateMPerYr: number;
  readonly points: readonly ForecastPoint[];
}

/** The minimum number of shorelines for a forecast, as in DSAS v5. */
export const MIN_FORECAST_SHORELINES = 4;

/**
 * The DSAS v5 shoreline forecast (Long & Plant 2012): a Kalman filter on the state [position, rate] with
 * A = [[1, dt], [0, 1]], Q = qf²·[[dt³/3, dt²/2], [dt²/2, dt]], H = [1, 0]. It starts at the first date from
 * the LRR fit (position = LRR at t₁, rate = LRR slope, P₀ = diag(LSE² + U₁², LCI²)), updates with each
 * shoreline (R_i = LSE² + U_i²), then runs on to each horizon after the last date.
 *
 * Steps are dt long; the step that reaches a shoreline date or a horizon is shortened so that every update
 * happens at its true date (this model's Q composes exactly, so a short step is the same physics).
 * Returns null with fewer than 4 shorelines or without an LRR fit.
 */
export function kalmanForecast(
  observations: readonly TransectObservation[],
  lrr: RegressionFit | null,
  options: KalmanOptions = {},
): TransectForecast | null {
  if (observations.length < MIN_FORECAST_SHORELINES || lrr === null) return null;
  const dt = options.dtYr ?? 0.1;
  const q = (options.qf ?? 0.1) ** 2;
  const horizons = [...(options.horizonsYr ?? [10, 20])].sort((a, b) => a - b);
  const obs = [...observations].sort((a, b) => a.yearDecimal - b.yearDecimal);
  const first = obs[0]!;
  const lse2 = lrr.seM * lrr.seM;

  let t = first.yearDecimal;
  let x0 = predictAt(lrr, t);
  let x1 = lrr.rateMPerYr;
  let p00 = lse2 + first.uncertaintyM * first.uncertaintyM;
  let p01 = 0;
  let p11 = lrr.ciMPerYr * lrr.ciMPerYr;

  // The propagation is written out inline (no closures): it runs ~600 steps per transect.
  const advanceTo = (target: number): void => {
    const span = target - t;
    const whole = Math.floor(span / dt + 1e-9);
    const rest = span - whole * dt;
    const steps = rest > 1e-9 ? whole + 1 : whole;
    for (let i = 0; i < steps; i++) {
      const h = i < whole ? dt : rest;
      const h2 = h * h;
      x0 += h * x1;
      p00 += 2 * h * p01 + h2 * p11 + (q * h2 * h) / 3;
      p01 += h * p11 + (q * h2) / 2;
      p11 += q * h;
    }
    t = target;
  };

  for (const o of obs) {
    advanceTo(o.yearDecimal);
    const s = p00 + lse2 + o.uncertaintyM * o.uncertaintyM;
    // S = 0 only when both the state and the observation are exact: nothing to learn.
    if (s > 0) {
      const k0 = p00 / s;
      const k1 = p01 / s;
      const innovation = o.distanceM - x0;
      x0 += k0 * innovation;
      x1 += k1 * innovation;
      p11 -= k1 * p01;
      p01 -= k0 * p01;
      p00 -= k0 * p00;
    }
  }

  const lastYear = t;
  const points: ForecastPoint[] = [];
  for (const horizonYr of horizons) {
    advanceTo(lastYear + horizonYr);
    points.push({ horizonYr, year: t, positionM: x0, sigmaM: Math.sqrt(Math.max(0, p00)) });
  }
  return { rateMPerYr: x1, points };
}
