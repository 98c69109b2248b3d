import { TidemarkError } from '../../common/errors.ts';
import type { TransectObservation } from './types.ts';

/** What the CoastSat correction needs from the site: the intertidal slope and the level lines are mapped to. */
export interface TideCorrectionSpec {
  /** Beach or mudflat slope tanβ (rise over run, > 0): Ca Mau mudflats are about 0.001. */
  readonly slope: number;
  /** Reference level z_ref, metres on the tide datum (e.g. 0 = mean sea level). */
  readonly zRefM: number;
}

function invalid(message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', message);
}

/** Throws INVALID_INPUT unless the slope is a finite number in (0, 1] and z_ref is finite. */
export function validateTideCorrection(spec: TideCorrectionSpec): void {
  if (typeof spec.slope !== 'number' || !(spec.slope > 0 && spec.slope <= 1)) {
    throw invalid(`tide correction slope tanβ must be a number in (0, 1], got ${String(spec.slope)}`);
  }
  if (typeof spec.zRefM !== 'number' || !Number.isFinite(spec.zRefM)) {
    throw invalid(
      `tide correction reference level z_ref must be a finite number of metres, got ${String(spec.zRefM)}`,
    );
  }
}

/**
 * CoastSat's horizontal correction (Vos et al. 2019): (z_tide − z_ref) / tanβ, in metres along the transect,
 * positive seaward (DSAS distances). Add it to a raw waterline distance to get where the z_ref contour lies.
 * At low tide (z_tide < z_ref) the water has drawn back seaward of the z_ref contour, so the correction is
 * negative: the corrected point lies landward of the raw waterline by |z_tide − z_ref| / tanβ.
 */
export function tideCorrectionM(tideHeightM: number, spec: TideCorrectionSpec): number {
  validateTideCorrection(spec);
  if (typeof tideHeightM !== 'number' || !Number.isFinite(tideHeightM)) {
    throw invalid(`tide height must be a finite number of metres, got ${String(tideHeightM)}`);
  }
  return (tideHeightM - spec.zRefM) / spec.slope;
}

/** A transect observation with the tide height of its scene (null when the scene has none). */
export interface TidedObservation extends TransectObservation {
  readonly tideHeightM: number | null;
  /** Names the scene in errors (its date, say). */
  readonly scene: string;
}

/** A corrected observation keeps its raw distance beside the corrected one. */
export interface CorrectedObservation extends TransectObservation {
  readonly rawDistanceM: number;
  readonly correctionM: number;
}

/**
 * Moves every waterline observation to the z_ref contour. Any observation without a tide is an error naming
 * every such scene (a half-corrected series would mix two different lines). Pure: the input is not changed.
 */
export function correctObservationsForTide(
  observations: readonly TidedObservation[],
  spec: TideCorrectionSpec,
): CorrectedObservation[] {
  validateTideCorrection(spec);
  const missing = observations.filter((o) => o.tideHeightM === null || !Number.isFinite(o.tideHeightM));
  if (missing.length > 0) {
    const names = [...new Set(missing.map((o) => o.scene))];
    throw new TidemarkError(
      'INVALID_INPUT',
      `tide correction requested but ${names.length} scene(s) have no tide height: ${names.join(', ')}`,
      { details: { scenesWithoutTide: names } },
    );
  }
  return observations.map((o) => {
    const correctionM = tideCorrectionM(o.tideHeightM as number, spec);
    return {
      yearDecimal: o.yearDecimal,
      distanceM: o.distanceM + correctionM,
      uncertaintyM: o.uncertaintyM,
      rawDistanceM: o.distanceM,
      correctionM,
    };
  });
}
