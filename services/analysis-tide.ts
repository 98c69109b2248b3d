import { TidemarkError } from '../common/errors.ts';
import type { TransectResult } from '../pipeline/dsas/compute-rates.ts';
import { kalmanForecast } from '../pipeline/dsas/kalman-forecast.ts';
import { tideAwareRates } from '../pipeline/dsas/tide-aware-rates.ts';
import {
  type TideCorrectionSpec,
  tideCorrectionM,
  validateTideCorrection,
} from '../pipeline/dsas/tide-correction.ts';
import { filterScenesByTide, type TideFilterResult } from '../pipeline/dsas/tide-filter.ts';
import type { Scene, SceneTideStatus } from '../store/scenes.ts';
import type { ShorelineProxy } from '../store/sites.ts';

/** What `tidemark analyze` can be told about proxies and tides (issue 7). */
export interface TideAnalysisOptions {
  /** Which shorelines to analyse; default: the site's proxy. */
  proxy?: ShorelineProxy;
  /**
   * CoastSat correction with this slope tanβ and reference level; what is left out comes from the site
   * (sites.beach_slope, sites.tide_reference_m, else z_ref 0 on the tide datum).
   */
  tideCorrection?: { slope?: number; zRefM?: number };
  /** DEA filter: keep the scenes in the central X % of the observed tide range. */
  tideFilterPercent?: number;
}

export interface ResolvedTideAnalysis {
  proxy: ShorelineProxy | null;
  /** Null until completed from the site settings (see completeTideCorrection). */
  correction: TideCorrectionSpec | null;
  correctionRequest: { slope: number | null; zRefM: number | null } | null;
  filterPercent: number | null;
}

/** Checks the options before anything is read. */
export function resolveTideAnalysis(options: TideAnalysisOptions): ResolvedTideAnalysis {
  const proxy = options.proxy ?? null;
  if (proxy !== null && proxy !== 'waterline' && proxy !== 'vegetation') {
    throw new TidemarkError('INVALID_INPUT', `proxy must be waterline or vegetation, got '${String(proxy)}'`);
  }
  let correctionRequest: ResolvedTideAnalysis['correctionRequest'] = null;
  if (options.tideCorrection) {
    const { slope, zRefM } = options.tideCorrection;
    // Validate what is given now (placeholders for what the site will fill in).
    validateTideCorrection({ slope: slope ?? 0.5, zRefM: zRefM ?? 0 });
    correctionRequest = { slope: slope ?? null, zRefM: zRefM ?? null };
  }
  const filterPercent = options.tideFilterPercent ?? null;
  if (
    filterPercent !== null &&
    !(typeof filterPercent === 'number' && filterPercent > 0 && filterPercent <= 100)
  ) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `tide filter percentage must be a number in (0, 100], got ${String(filterPercent)}`,
    );
  }
  if ((correctionRequest || filterPercent !== null) && proxy === 'vegetation') {
    throw new TidemarkError(
      'INVALID_INPUT',
      'tide correction and filtering apply to waterlines; the vegetation edge does not move with the tide',
    );
  }
  return { proxy, correction: null, correctionRequest, filterPercent };
}

/** The correction to apply: the options' slope and z_ref, else the site's; no slope at all is an error. */
export function completeTideCorrection(
  tide: ResolvedTideAnalysis,
  site: { slug: string; beachSlope: number | null; tideReferenceM: number | null },
): ResolvedTideAnalysis {
  const request = tide.correctionRequest;
  if (!request) return tide;
  const slope = request.slope ?? site.beachSlope;
  if (slope === null) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `tide correction needs a slope: site '${site.slug}' has none (create it with --slope) and none was given (--tide-slope)`,
    );
  }
  const correction = { slope, zRefM: request.zRefM ?? site.tideReferenceM ?? 0 };
  validateTideCorrection(correction);
  return { ...tide, correction };
}

/** The tide filter over the scenes an analysis would use; scenes without a tide are named in the error. */
export function filterSceneTides(scenes: readonly Scene[], percent: number): TideFilterResult {
  return filterScenesByTide(
    scenes.map((s) => ({ scene: s.fileName, tideHeightM: s.tideHeightM })),
    percent,
  );
}

/**
 * Moves every observation of the results to the z_ref contour and recomputes statistics and forecasts
 * over the corrected positions. `dates` gives the tide of each shoreline date; a date without one is an
 * error naming its scene.
 */
export function correctResults(
  results: readonly TransectResult[],
  dates: readonly { yearDecimal: number; scene: string; tideHeightM: number | null }[],
  correction: TideCorrectionSpec,
  confidence: number,
  horizonsYr: readonly number[],
): { results: TransectResult[]; correctionOfYear: Map<number, number> } {
  const tideAware = tideAwareRates(results, dates, { correction }, confidence);
  const corrected = tideAware.transects.map((t) => {
    const observations = t.observations.map((o) => ({
      yearDecimal: o.yearDecimal,
      distanceM: o.distanceM,
      uncertaintyM: o.uncertaintyM,
    }));
    return {
      transect: t.transect,
      observations,
      stats: t.stats,
      forecast: kalmanForecast(observations, t.stats.lrr, { horizonsYr }),
    };
  });
  const correctionOfYear = new Map(
    dates.map((d) => [d.yearDecimal, tideCorrectionM(d.tideHeightM as number, correction)] as const),
  );
  return { results: corrected, correctionOfYear };
}

/** The per-scene record of what this analysis did with the tide. */
export function sceneTideStatuses(
  scenes: readonly Scene[],
  tide: ResolvedTideAnalysis,
  filter: TideFilterResult | null,
): SceneTideStatus[] {
  const reasonOf = new Map<string, string>();
  for (const d of filter?.decisions ?? []) if (!d.kept && d.reason) reasonOf.set(d.scene, d.reason);
  return scenes.map((s) => {
    const reason = reasonOf.get(s.fileName) ?? null;
    const corrected = tide.correction !== null && reason === null && s.tideHeightM !== null;
    return {
      sceneId: s.id,
      tideCorrected: corrected,
      tideCorrectionM: corrected ? tideCorrectionM(s.tideHeightM as number, tide.correction!) : null,
      tideFiltered: reason !== null,
      tideFilterReason: reason,
    };
  });
}
