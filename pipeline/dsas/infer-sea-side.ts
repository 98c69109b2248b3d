import { TidemarkError } from '../../common/errors.ts';
import { type BaselinePlacement, castTransects, type Side } from './cast-transects.ts';
import { buildShorelineIndex, intersectTransect } from './shoreline-index.ts';
import type { DatedShoreline, LineXY } from './types.ts';

/**
 * Which side of a user baseline faces the sea, found from where the shorelines lie: for an onshore baseline
 * the shorelines are on the sea side, for an offshore one on the land side. A mid-shore baseline has them on
 * both sides, so its sea side must be given. Throws when no shoreline is within `lengthM` of the baseline.
 */
export function inferSeaSide(
  baseline: readonly LineXY[],
  shorelines: readonly DatedShoreline[],
  lengthM: number,
  spacingM: number,
  placement: BaselinePlacement = 'onshore',
): Side {
  if (placement === 'midshore') {
    throw new TidemarkError('INVALID_INPUT', 'a mid-shore baseline needs its sea side given (left or right)');
  }
  // Probe on both sides of the baseline with left-facing transects.
  const probes = castTransects(baseline, { spacingM, lengthM, seaSide: 'left' }).map((t) => ({
    ...t,
    sMinM: -lengthM,
    sMaxM: lengthM,
  }));
  const index = buildShorelineIndex(shorelines);
  const far = new Float64Array(shorelines.length);
  const near = new Float64Array(shorelines.length);
  const unc = new Float64Array(shorelines.length);
  let left = 0;
  let right = 0;
  for (const t of probes) {
    intersectTransect(index, t, 'seaward', far, unc);
    intersectTransect(index, t, 'landward', near, unc);
    for (let k = 0; k < shorelines.length; k++) {
      if (far[k]! > 0) left++;
      if (near[k]! < 0) right++;
    }
  }
  if (left === 0 && right === 0) {
    throw new TidemarkError('INVALID_INPUT', `no shoreline lies within ${lengthM} m of the baseline`);
  }
  const shorelineSide: Side = left >= right ? 'left' : 'right';
  if (placement === 'onshore') return shorelineSide;
  return shorelineSide === 'left' ? 'right' : 'left';
}
