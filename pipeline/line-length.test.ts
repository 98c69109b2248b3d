import { describe, expect, it } from 'vitest';
import { geodesicLengthM } from './line-length.ts';

/** A line from a to b in n equal steps of longitude and latitude. */
function steps(a: [number, number], b: [number, number], n: number): Float64Array {
  const out = new Float64Array(2 * (n + 1));
  for (let i = 0; i <= n; i++) {
    out[2 * i] = a[0] + ((b[0] - a[0]) * i) / n;
    out[2 * i + 1] = a[1] + ((b[1] - a[1]) * i) / n;
  }
  return out;
}

describe('geodesicLengthM', () => {
  // Reference lengths on the WGS 84 ellipsoid: meridian arcs from the series for the meridian distance,
  // parallels from N·cos φ (both as tabulated, e.g. in the NGA's length-of-a-degree tables).
  it('measures a degree of latitude and of longitude as the WGS 84 ellipsoid has them', () => {
    expect(geodesicLengthM(steps([105, 0], [105, 1], 1000))).toBeCloseTo(110_574.4, 0);
    expect(geodesicLengthM(steps([105, 44.5], [105, 45.5], 1000))).toBeCloseTo(111_132.0, 0);
    expect(geodesicLengthM(steps([105, 0], [106, 0], 1000))).toBeCloseTo(111_319.5, 0);
    expect(geodesicLengthM(steps([105, 45], [106, 45], 1000))).toBeCloseTo(78_846.8, 0);
  });

  it('is the same for pairs and for a flat array, and for a line walked backwards', () => {
    const flat = steps([104.7, 8.6], [104.9, 8.9], 500);
    const pairs: [number, number][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    const forward = geodesicLengthM(flat);
    expect(geodesicLengthM(pairs)).toBe(forward);
    expect(geodesicLengthM(pairs.slice().reverse())).toBeCloseTo(forward, 6);
  });

  it('crosses the antimeridian the short way', () => {
    const across = geodesicLengthM([
      [179.9995, 0],
      [-179.9995, 0],
    ]);
    expect(across).toBeCloseTo(111.3195, 3);
  });

  it('gives 0 for fewer than two points and leaves its input unchanged', () => {
    expect(geodesicLengthM(Float64Array.of(105, 8))).toBe(0);
    expect(geodesicLengthM([])).toBe(0);
    const line = Float64Array.of(105, 8, 105.001, 8.001);
    geodesicLengthM(line);
    expect(Array.from(line)).toEqual([105, 8, 105.001, 8.001]);
  });
});
