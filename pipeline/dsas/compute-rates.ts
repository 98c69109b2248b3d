import { TidemarkError } from '../../common/errors.ts';
import { type KalmanOptions, kalmanForecast, type TransectForecast } from './kalman-forecast.ts';
import { buildShorelineIndex, intersectTransect } from './shoreline-index.ts';
import { computeTransectStats, type TransectStats } from './transect-stats.ts';
import type { DatedShoreline, IntersectionRule, Transect, TransectObservation } from './types.ts';

export interface ComputeRatesOptions {
  /** Which crossing counts when a transect crosses a shoreline more than once (default 'seaward'). */
  readonly intersection?: IntersectionRule;
  /** Confidence level of LCI/WCI as a fraction (default 0.9). */
  readonly confidence?: number;
  readonly kalman?: KalmanOptions;
  /** Grid cell size of the shoreline index, metres (default: from the segment lengths). */
  readonly cellSizeM?: number;
}

/** Everything computed for one transect. */
export interface TransectResult {
  readonly transect: Transect;
  /** The shoreline positions on this transect, sorted by date. */
  readonly observations: readonly TransectObservation[];
  readonly stats: TransectStats;
  /** The Kalman forecast (null with fewer than 4 shorelines). */
  readonly forecast: TransectForecast | null;
}

/**
 * Checks what the statistics rely on: at least two shorelines, distinct dates, finite coordinates and
 * positive uncertainties. Throws INVALID_INPUT naming the problem.
 */
export function validateShorelines(shorelines: readonly DatedShoreline[]): void {
  if (shorelines.length < 2) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `rates need at least 2 shorelines of different dates, got ${shorelines.length}`,
    );
  }
  const seen = new Map<number, string>();
  for (const s of shorelines) {
    if (!Number.isFinite(s.yearDecimal))
      throw new TidemarkError('INVALID_INPUT', `shoreline date '${s.date}' is not valid`);
    const other = seen.get(s.yearDecimal);
    if (other !== undefined) {
      throw new TidemarkError('INVALID_INPUT', `two shorelines have the same date (${other} and ${s.date})`, {
        details: { date: s.date },
      });
    }
    seen.set(s.yearDecimal, s.date);
    for (const piece of s.pieces) {
      if (!(piece.uncertaintyM > 0) || !Number.isFinite(piece.uncertaintyM)) {
        throw new TidemarkError(
          'INVALID_INPUT',
          `shoreline ${s.date}: uncertainty must be a positive number of metres, got ${piece.uncertaintyM}`,
        );
      }
      for (const p of piece.coordinates) {
        if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          throw new TidemarkError('INVALID_INPUT', `shoreline ${s.date} has a non-finite coordinate`);
        }
      }
    }
  }
}

/**
 * Intersects every transect with every shoreline and computes the DSAS statistics and the Kalman forecast
 * of each transect. Pure: inputs are not changed. Results come in the order of `transects`.
 */
export function computeRates(
  shorelines: readonly DatedShoreline[],
  transects: readonly Transect[],
  options: ComputeRatesOptions = {},
): TransectResult[] {
  validateShorelines(shorelines);
  const confidence = options.confidence ?? 0.9;
  if (!(confidence > 0 && confidence < 1)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `confidence must be between 0 and 1 (exclusive), got ${confidence}`,
    );
  }
  const rule = options.intersection ?? 'seaward';
  if (rule !== 'seaward' && rule !== 'landward') {
    throw new TidemarkError('INVALID_INPUT', `intersection must be 'seaward' or 'landward', got '${rule}'`);
  }
  // Index shorelines in date order so that observations come out sorted.
  const ordered = [...shorelines].sort((a, b) => a.yearDecimal - b.yearDecimal);
  const index = buildShorelineIndex(
    ordered,
    options.cellSizeM === undefined ? {} : { cellSizeM: options.cellSizeM },
  );
  const distance = new Float64Array(ordered.length);
  const uncertainty = new Float64Array(ordered.length);
  return transects.map((transect) => {
    intersectTransect(index, transect, rule, distance, uncertainty);
    const observations: TransectObservation[] = [];
    for (let k = 0; k < ordered.length; k++) {
      const d = distance[k]!;
      if (!Number.isNaN(d)) {
        observations.push({
          yearDecimal: ordered[k]!.yearDecimal,
          distanceM: d,
          uncertaintyM: uncertainty[k]!,
        });
      }
    }
    const stats = computeTransectStats(observations, confidence);
    const forecast = kalmanForecast(observations, stats.lrr, options.kalman);
    return { transect, observations, stats, forecast };
  });
}
