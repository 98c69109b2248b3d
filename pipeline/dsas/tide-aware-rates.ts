import { TidemarkError } from '../../common/errors.ts';
import type { TransectResult } from './compute-rates.ts';
import { type TideCorrectionSpec, tideCorrectionM, validateTideCorrection } from './tide-correction.ts';
import { filterScenesByTide, type TideFilterResult } from './tide-filter.ts';
import { computeTransectStats, type TransectStats } from './transect-stats.ts';
import type { Transect, TransectObservation } from './types.ts';

/** The tide of one shoreline date (scenes are matched to observations by decimal year). */
export interface SceneTide {
  readonly yearDecimal: number;
  /** Names the scene in reasons and errors. */
  readonly scene: string;
  readonly tideHeightM: number | null;
}

export interface TideHandling {
  /** CoastSat correction of every waterline to z_ref (needs a tide for every scene). */
  readonly correction?: TideCorrectionSpec;
  /** DEA filter: keep scenes in the central X % of the observed tide range (needs a tide for every scene). */
  readonly filterPercent?: number;
}

/** One observation as stored in transect_intersections: raw and corrected distance, used or why not. */
export interface TideAwareObservation extends TransectObservation {
  readonly rawDistanceM: number;
  /** Added to the raw distance (null when no correction was asked for). */
  readonly correctionM: number | null;
  readonly used: boolean;
  readonly excludedReason: string | null;
}

export interface TideAwareTransectResult {
  readonly transect: Transect;
  readonly observations: readonly TideAwareObservation[];
  /** Statistics of the raw positions of every scene, always reported beside the ones used. */
  readonly rawStats: TransectStats;
  /** Statistics of the used observations, on `basis` distances. */
  readonly stats: TransectStats;
  readonly basis: 'raw' | 'tide_corrected';
}

export interface TideAwareRates {
  readonly filter: TideFilterResult | null;
  readonly transects: readonly TideAwareTransectResult[];
}

/**
 * Applies the tide handling a site asks for to DSAS results: filtering drops the scenes outside the central
 * tide band (each with its reason), correction moves every waterline to z_ref; the statistics are recomputed
 * over what is left, and the raw ones kept beside them. With neither, the results pass through unchanged
 * (basis 'raw'). A scene without a tide is an error naming every such scene. Pure: inputs are not changed.
 */
export function tideAwareRates(
  results: readonly TransectResult[],
  scenes: readonly SceneTide[],
  handling: TideHandling,
  confidence = 0.9,
): TideAwareRates {
  const wantsTide = handling.correction !== undefined || handling.filterPercent !== undefined;
  if (handling.correction) validateTideCorrection(handling.correction);
  const byYear = new Map<number, SceneTide>();
  for (const s of scenes) byYear.set(s.yearDecimal, s);
  if (wantsTide) {
    const missing = scenes.filter((s) => s.tideHeightM === null || !Number.isFinite(s.tideHeightM));
    if (missing.length > 0) {
      const names = missing.map((s) => s.scene);
      const what = handling.correction ? 'tide correction' : 'tide filter';
      throw new TidemarkError(
        'INVALID_INPUT',
        `${what} requested but ${names.length} scene(s) have no tide height: ${names.join(', ')}`,
        { details: { scenesWithoutTide: names } },
      );
    }
  }
  const filter =
    handling.filterPercent === undefined ? null : filterScenesByTide(scenes, handling.filterPercent);
  const reasonOf = new Map<string, string>();
  for (const d of filter?.decisions ?? []) if (!d.kept && d.reason) reasonOf.set(d.scene, d.reason);

  const transects = results.map((r): TideAwareTransectResult => {
    const observations = r.observations.map((o): TideAwareObservation => {
      const scene = byYear.get(o.yearDecimal);
      if (wantsTide && !scene) {
        throw new TidemarkError('INVALID_INPUT', `no scene is given for the shoreline of ${o.yearDecimal}`);
      }
      const correctionM =
        handling.correction && scene
          ? tideCorrectionM(scene.tideHeightM as number, handling.correction)
          : null;
      const reason = scene ? (reasonOf.get(scene.scene) ?? null) : null;
      return {
        yearDecimal: o.yearDecimal,
        uncertaintyM: o.uncertaintyM,
        rawDistanceM: o.distanceM,
        distanceM: o.distanceM + (correctionM ?? 0),
        correctionM,
        used: reason === null,
        excludedReason: reason,
      };
    });
    const used = observations.filter((o) => o.used);
    return {
      transect: r.transect,
      observations,
      rawStats: r.stats,
      stats: wantsTide ? computeTransectStats(used, confidence) : r.stats,
      basis: handling.correction ? 'tide_corrected' : 'raw',
    };
  });
  return { filter, transects };
}
