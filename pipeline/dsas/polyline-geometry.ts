import type { LineXY, XY } from './types.ts';

/** Cumulative arc length at each vertex (first is 0), metres. */
export function cumulativeLengths(line: LineXY): Float64Array {
  const cum = new Float64Array(line.length);
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!;
    const b = line[i]!;
    cum[i] = cum[i - 1]! + Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return cum;
}

/** The point at arc length s (clamped to the line), given the line's cumulative lengths. */
export function pointAtDistance(line: LineXY, cum: Float64Array, s: number): XY {
  const n = line.length;
  if (s <= 0) return line[0]!;
  if (s >= cum[n - 1]!) return line[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! <= s) lo = mid;
    else hi = mid;
  }
  const a = line[lo]!;
  const b = line[hi]!;
  const segment = cum[hi]! - cum[lo]!;
  const f = segment > 0 ? (s - cum[lo]!) / segment : 0;
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])];
}

/** Drops consecutive repeated vertices (zero-length segments have no direction). */
export function dropRepeatedVertices(line: LineXY): XY[] {
  const out: XY[] = [];
  for (const p of line) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push([p[0], p[1]]);
  }
  return out;
}

/** Resamples a line at equal arc-length steps of at most `stepM`, keeping both ends. */
export function resampleLine(line: LineXY, stepM: number): XY[] {
  const cum = cumulativeLengths(line);
  const total = cum[cum.length - 1] ?? 0;
  const count = Math.max(1, Math.ceil(total / stepM));
  const out: XY[] = [];
  for (let i = 0; i <= count; i++) out.push(pointAtDistance(line, cum, (total * i) / count));
  return out;
}

/**
 * Moving-average smoothing over `windowM` of arc length: the line is resampled evenly, then each point is
 * replaced by the mean of the points within ±windowM/2. Near the ends the window shrinks symmetrically, so
 * the end points stay put and the smoothed line keeps the original extent.
 */
export function smoothLine(line: LineXY, windowM: number): XY[] {
  const clean = dropRepeatedVertices(line);
  if (clean.length < 3 || windowM <= 0) return clean;
  const total = cumulativeLengths(clean).at(-1)!;
  const step = Math.max(Math.min(windowM / 10, total / 20), total / 100_000);
  const even = resampleLine(clean, step);
  const n = even.length;
  const sx = new Float64Array(n + 1);
  const sy = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    sx[i + 1] = sx[i]! + even[i]![0];
    sy[i + 1] = sy[i]! + even[i]![1];
  }
  const half = Math.max(0, Math.round(windowM / 2 / (total / (n - 1))));
  const out: XY[] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.min(half, i, n - 1 - i);
    const count = 2 * k + 1;
    out.push([(sx[i + k + 1]! - sx[i - k]!) / count, (sy[i + k + 1]! - sy[i - k]!) / count]);
  }
  return out;
}

/** Length of a polyline, metres. */
export function lineLengthM(line: LineXY): number {
  return cumulativeLengths(line).at(-1) ?? 0;
}
