import { TidemarkError } from '../../common/errors.ts';

/** A scene as the tide filter sees it. */
export interface TideFilterScene {
  /** Names the scene in reasons and errors (an id or a date). */
  readonly scene: string;
  readonly tideHeightM: number | null;
}

export interface TideFilterDecision {
  readonly scene: string;
  readonly tideHeightM: number;
  readonly kept: boolean;
  /** Why a skipped scene was skipped (null when kept). */
  readonly reason: string | null;
}

export interface TideFilterResult {
  /** Kept band [lowM, highM] on the tide datum. */
  readonly lowM: number;
  readonly highM: number;
  readonly observedMinM: number;
  readonly observedMaxM: number;
  readonly centralPercent: number;
  /** One decision per input scene, in input order. */
  readonly decisions: readonly TideFilterDecision[];
}

export const DEFAULT_TIDE_FILTER_PERCENT = 50;

/**
 * DEA Coastlines' tide filter (Bishop-Taylor et al. 2021): keep only the scenes whose tide lies in the
 * central `centralPercent` % of the tide range observed over the scenes, so every kept waterline comes from a
 * similar stage of the tide. Bounds are inclusive. Scenes without a tide are an error naming them, since
 * they cannot be placed. Pure: the input is not changed.
 */
export function filterScenesByTide(
  scenes: readonly TideFilterScene[],
  centralPercent = DEFAULT_TIDE_FILTER_PERCENT,
): TideFilterResult {
  if (typeof centralPercent !== 'number' || !(centralPercent > 0 && centralPercent <= 100)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `tide filter percentage must be a number in (0, 100], got ${String(centralPercent)}`,
    );
  }
  if (scenes.length === 0) throw new TidemarkError('INVALID_INPUT', 'tide filter needs at least one scene');
  const missing = scenes.filter((s) => s.tideHeightM === null || !Number.isFinite(s.tideHeightM));
  if (missing.length > 0) {
    const names = missing.map((s) => s.scene);
    throw new TidemarkError(
      'INVALID_INPUT',
      `tide filter requested but ${names.length} scene(s) have no tide height: ${names.join(', ')}`,
      { details: { scenesWithoutTide: names } },
    );
  }
  const heights = scenes.map((s) => s.tideHeightM as number);
  const observedMinM = Math.min(...heights);
  const observedMaxM = Math.max(...heights);
  const marginM = ((observedMaxM - observedMinM) * (1 - centralPercent / 100)) / 2;
  const lowM = observedMinM + marginM;
  const highM = observedMaxM - marginM;
  const fmt = (v: number) => v.toFixed(2);
  const decisions = scenes.map((s, i): TideFilterDecision => {
    const h = heights[i]!;
    const kept = h >= lowM && h <= highM;
    const reason = kept
      ? null
      : `tide ${fmt(h)} m is ${h < lowM ? 'below' : 'above'} the central ${centralPercent} % of the observed ` +
        `range ${fmt(observedMinM)}…${fmt(observedMaxM)} m (kept ${fmt(lowM)}…${fmt(highM)} m)`;
    return { scene: s.scene, tideHeightM: h, kept, reason };
  });
  return { lowM, highM, observedMinM, observedMaxM, centralPercent, decisions };
}
