import { TidemarkError } from '../../common/errors.ts';
import type { Side } from './cast-transects.ts';
import { assertPositiveMetres } from './cast-transects.ts';
import { lineLengthM, smoothLine } from './polyline-geometry.ts';
import type { DatedShoreline, LineXY, XY } from './types.ts';

export interface GenerateBaselineOptions {
  /** How far landward of the smoothed shoreline the baseline lies, metres (> 0). */
  readonly offsetM: number;
  /** Which side of each shoreline piece (walking along its vertices) is land. */
  readonly landSide: Side;
  /** Smoothing window, metres (default 1000): wide enough that the offset line cannot loop on itself. */
  readonly smoothingM?: number;
  /** Pieces shorter than this are skipped, metres (default 500). */
  readonly minLengthM?: number;
}

export interface GeneratedBaseline {
  readonly parts: LineXY[];
  /** The sea side of the generated parts (they keep the direction of the shoreline pieces). */
  readonly seaSide: Side;
}

/**
 * The DSAS-style generated baseline: each piece of the (earliest) shoreline, smoothed, then offset landward
 * by `offsetM` along its local normal. Parts keep the direction of their pieces, so the sea is on the side
 * opposite `landSide`.
 */
export function generateBaseline(
  shoreline: DatedShoreline,
  options: GenerateBaselineOptions,
): GeneratedBaseline {
  assertPositiveMetres(options.offsetM, 'baseline offset');
  const smoothingM = options.smoothingM ?? 1000;
  const minLengthM = options.minLengthM ?? 500;
  const sign = options.landSide === 'left' ? 1 : -1;
  const parts: LineXY[] = [];
  for (const piece of shoreline.pieces) {
    if (lineLengthM(piece.coordinates) < minLengthM) continue;
    const smooth = smoothLine(piece.coordinates, smoothingM);
    parts.push(offsetLine(smooth, sign * options.offsetM));
  }
  if (parts.length === 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `the shoreline of ${shoreline.date} has no piece of at least ${minLengthM} m to build a baseline from`,
    );
  }
  return { parts, seaSide: options.landSide === 'left' ? 'right' : 'left' };
}

/** Moves each vertex by `distanceM` along the left normal (negative: right) of its neighbours' chord. */
export function offsetLine(line: LineXY, distanceM: number): XY[] {
  const n = line.length;
  return line.map((p, i) => {
    const a = line[Math.max(0, i - 1)]!;
    const b = line[Math.min(n - 1, i + 1)]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    return [p[0] - (dy / len) * distanceM, p[1] + (dx / len) * distanceM] as XY;
  });
}
