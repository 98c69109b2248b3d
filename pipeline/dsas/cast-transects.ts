import { TidemarkError } from '../../common/errors.ts';
import { cumulativeLengths, dropRepeatedVertices, pointAtDistance } from './polyline-geometry.ts';
import type { LineXY, Transect, XY } from './types.ts';

/** Which side of the baseline (walking from its first vertex to its last) faces the sea. */
export type Side = 'left' | 'right';

/** Where the baseline lies relative to the shorelines; decides which part of each transect is searched. */
export type BaselinePlacement = 'onshore' | 'offshore' | 'midshore';

export interface CastTransectsOptions {
  /** Distance between transects along the baseline, metres (> 0). */
  readonly spacingM: number;
  /** Transect length, metres (> 0). */
  readonly lengthM: number;
  /** Which side of the baseline is the sea. */
  readonly seaSide: Side;
  /**
   * Arc length over which the baseline direction is averaged, metres (DSAS "smoothing distance"). Transects
   * are perpendicular to the chord between the points ±smoothingM/2 away, so a wiggly baseline does not
   * fan them out; on a circular arc that chord is exactly parallel to the tangent. Default 500.
   */
  readonly smoothingM?: number;
  /** onshore (default): [0, L] seaward; offshore: [−L, 0]; midshore: [−L/2, L/2]. */
  readonly placement?: BaselinePlacement;
  /** Id of the first transect (default 1). */
  readonly firstId?: number;
}

export function assertPositiveMetres(value: number, name: string): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TidemarkError('INVALID_INPUT', `${name} must be a positive number of metres, got ${value}`);
  }
}

/**
 * Longest transect accepted, metres. A transect is walked cell by cell through the shoreline index, so its
 * cost grows with its length (10⁹ m: 90 s for 100 transects), and a metric CRS (a UTM zone) measures true
 * distances only within a few hundred kilometres: a longer transect has no meaningful far end (10⁹ m gave
 * null coordinates). Coastal transects are metres to kilometres long.
 */
export const MAX_TRANSECT_LENGTH_M = 100_000;

/**
 * Most transects cast along a baseline. Each costs about 4 kB while rates are computed (663,338 transects
 * took 2.8 GB; ten times as many exhausted the heap), and its GeoJSON about 700 bytes.
 */
export const MAX_TRANSECTS = 100_000;

/** A positive transect length of at most MAX_TRANSECT_LENGTH_M; `name` is what messages call it. */
export function assertTransectLength(lengthM: number, name = 'transect length'): void {
  assertPositiveMetres(lengthM, name);
  if (lengthM > MAX_TRANSECT_LENGTH_M) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${name} must be at most ${MAX_TRANSECT_LENGTH_M} metres, got ${lengthM}`,
    );
  }
}

/**
 * Refuses a spacing that would cast more than MAX_TRANSECTS along the baseline, before any is cast, naming
 * the smallest spacing (rounded up to a millimetre) that fits. castTransects puts floor(length / spacing) + 1
 * on each part. `name` is what messages call the spacing (e.g. the flag that set it).
 */
export function assertTransectCount(parts: readonly LineXY[], spacingM: number, name = 'spacing'): void {
  assertPositiveMetres(spacingM, name);
  const lengthsM = parts.map((p) => (p.length < 2 ? 0 : (cumulativeLengths(p).at(-1) ?? 0)));
  const count = lengthsM.reduce((sum, m) => sum + Math.floor(m / spacingM) + 1, 0);
  if (count <= MAX_TRANSECTS) return;
  const totalM = lengthsM.reduce((sum, m) => sum + m, 0);
  // floor(m / s) + 1 ≤ m / s + 1 per part, so this spacing casts at most MAX_TRANSECTS.
  const fitsM = Math.ceil((totalM / Math.max(1, MAX_TRANSECTS - parts.length)) * 1000) / 1000;
  const format = (n: number) => (n < 1e15 ? Math.round(n).toLocaleString('en-US') : n.toExponential(2));
  throw new TidemarkError(
    'INVALID_INPUT',
    `${name} ${spacingM} would cast ${format(count)} transects along the ${format(totalM)} m baseline, ` +
      `more than the maximum of ${format(MAX_TRANSECTS)}: use ${name} ${fitsM} or more`,
  );
}

/** The search window [sMin, sMax] of a transect of length L for a baseline placement. */
export function placementWindow(placement: BaselinePlacement, lengthM: number): [number, number] {
  if (placement === 'offshore') return [-lengthM, 0];
  if (placement === 'midshore') return [-lengthM / 2, lengthM / 2];
  return [0, lengthM];
}

/**
 * Casts transects perpendicular to the (direction-smoothed) baseline every `spacingM`, centred so the
 * leftover length is split between both ends, oriented seaward, with their origin on the baseline. Ids run
 * 1, 2, … along each part, and on through the parts in order. Coordinates are metric.
 */
export function castTransects(baseline: readonly LineXY[], options: CastTransectsOptions): Transect[] {
  assertTransectLength(options.lengthM);
  assertTransectCount(baseline, options.spacingM);
  const smoothingM = options.smoothingM ?? 500;
  if (!Number.isFinite(smoothingM) || smoothingM < 0) {
    throw new TidemarkError('INVALID_INPUT', `smoothing distance must be ≥ 0 metres, got ${smoothingM}`);
  }
  if (baseline.length === 0) throw new TidemarkError('INVALID_INPUT', 'the baseline has no lines');
  const [sMinM, sMaxM] = placementWindow(options.placement ?? 'onshore', options.lengthM);
  const sign = options.seaSide === 'left' ? 1 : -1;
  const transects: Transect[] = [];
  let id = options.firstId ?? 1;
  baseline.forEach((part, partIndex) => {
    const line = dropRepeatedVertices(part);
    if (line.length < 2) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `baseline part ${partIndex + 1} has fewer than 2 distinct points`,
      );
    }
    const cum = cumulativeLengths(line);
    const total = cum[cum.length - 1]!;
    const count = Math.floor(total / options.spacingM) + 1;
    const start = (total - (count - 1) * options.spacingM) / 2;
    for (let i = 0; i < count; i++) {
      const s = start + i * options.spacingM;
      const origin = pointAtDistance(line, cum, s);
      const tangent = tangentAt(line, cum, s, smoothingM / 2);
      const dir: XY = [-tangent[1] * sign, tangent[0] * sign];
      transects.push({ id: id++, origin, dir, sMinM, sMaxM, baselinePart: partIndex });
    }
  });
  return transects;
}

/** Unit tangent at arc length s: the chord over ±h, shrunk symmetrically near the ends. */
function tangentAt(line: LineXY, cum: Float64Array, s: number, h: number): XY {
  const total = cum[cum.length - 1]!;
  const reach = Math.min(h, s, total - s);
  let a: XY;
  let b: XY;
  if (reach > total * 1e-9) {
    a = pointAtDistance(line, cum, s - reach);
    b = pointAtDistance(line, cum, s + reach);
  } else {
    // At an end (or with no smoothing): the direction of the segment under s.
    let i = 0;
    while (i < cum.length - 2 && cum[i + 1]! < s) i++;
    if (s >= total) i = cum.length - 2;
    a = line[i]!;
    b = line[i + 1]!;
  }
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  return [dx / len, dy / len];
}

/** The far end of a transect's searched segment, and its near end, as coordinates. */
export function transectEnds(t: Transect): [XY, XY] {
  return [
    [t.origin[0] + t.dir[0] * t.sMinM, t.origin[1] + t.dir[1] * t.sMinM],
    [t.origin[0] + t.dir[0] * t.sMaxM, t.origin[1] + t.dir[1] * t.sMaxM],
  ];
}

/**
 * Transects given by the user (CoastSat style): each line's first vertex is the origin, on the landward
 * end, and its last vertex the seaward end. The search window is the line's own length.
 */
export function transectsFromLines(lines: readonly LineXY[], firstId = 1): Transect[] {
  return lines.map((raw, i) => {
    const line = dropRepeatedVertices(raw);
    const a = line[0];
    const b = line[line.length - 1];
    if (!a || !b || line.length < 2) {
      throw new TidemarkError('INVALID_INPUT', `transect ${i + 1} has fewer than 2 distinct points`);
    }
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (!(len > 0))
      throw new TidemarkError('INVALID_INPUT', `transect ${i + 1} starts and ends at the same point`);
    return {
      id: firstId + i,
      origin: a,
      dir: [(b[0] - a[0]) / len, (b[1] - a[1]) / len] as XY,
      sMinM: 0,
      sMaxM: len,
      baselinePart: 0,
    };
  });
}
