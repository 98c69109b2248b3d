import { kinks, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { landChange, landChangeSeries } from './change-polygons.ts';
import { cleanPolygons, type PolygonXY, planarAreaM2 } from './polygon-ops.ts';
import type { XY } from './types.ts';

/** Land south of a coast at height y(x) over 0 ≤ x ≤ 1000, down to y = −500. */
function land(coastY: (x: number) => number): PolygonXY[] {
  const coast: XY[] = Array.from({ length: 11 }, (_, i) => [i * 100, coastY(i * 100)] as XY);
  return [[[[0, -500], [1000, -500], ...coast.reverse(), [0, -500]]]];
}

function valid(p: PolygonXY): boolean {
  return kinks(polygon(p.map((r) => r.map((q) => [q[0], q[1]])))).features.length === 0;
}

describe('landChange', () => {
  it('gives erosion where land was lost and accretion where it was gained, with planar areas', () => {
    // The coast moves from y = 0 to y = −20 on the west half and to y = +10 on the east half (step at x = 500).
    const before = land(() => 0);
    const after = land((x) => (x < 500 ? -20 : x > 500 ? 10 : -5));
    const c = landChange(before, after);
    // Vertices every 100 m: −20 up to x = 400, −5 at 500, +10 from 600. Erosion: 20 × 400, the trapezoid
    // 400–500 (20 → 5 deep), and the triangle 500–533⅓ (the coast crosses y = 0 at 533⅓). Accretion: the
    // triangle 533⅓–600 (0 → 10) and 10 × 400.
    const expectedErosion = 20 * 400 + (100 * (20 + 5)) / 2 + 0.5 * (100 / 3) * 5;
    const expectedAccretion = 0.5 * (200 / 3) * 10 + 10 * 400;
    expect(c.erosionAreaM2).toBeCloseTo(expectedErosion, 3);
    expect(c.accretionAreaM2).toBeCloseTo(expectedAccretion, 3);
    expect(c.erosion.every(valid)).toBe(true);
    expect(c.accretion.every(valid)).toBe(true);
    // Net change equals the difference of the land areas.
    expect(c.accretionAreaM2 - c.erosionAreaM2).toBeCloseTo(planarAreaM2(after) - planarAreaM2(before), 6);
  });

  it('is empty when nothing changed', () => {
    const c = landChange(
      land(() => 0),
      land(() => 0),
    );
    expect(c).toEqual({ erosion: [], accretion: [], erosionAreaM2: 0, accretionAreaM2: 0 });
  });

  it('leaves its input unchanged', () => {
    const a = land(() => 0);
    const b = land(() => 5);
    const ca = structuredClone(a);
    const cb = structuredClone(b);
    landChange(a, b);
    expect(a).toEqual(ca);
    expect(b).toEqual(cb);
  });
});

describe('landChangeSeries', () => {
  it('covers consecutive dates and first → last', () => {
    const series = landChangeSeries([
      { date: '2010', yearDecimal: 2010, land: land(() => -10) },
      { date: '2000', yearDecimal: 2000, land: land(() => 0) },
      { date: '2020', yearDecimal: 2020, land: land(() => -25) },
    ]);
    expect(series.map((s) => [s.fromDate, s.toDate, s.span])).toEqual([
      ['2000', '2010', 'consecutive'],
      ['2010', '2020', 'consecutive'],
      ['2000', '2020', 'overall'],
    ]);
    expect(series.map((s) => Math.round(s.erosionAreaM2))).toEqual([10_000, 15_000, 25_000]);
  });

  it('needs two lands', () => {
    expect(() => landChangeSeries([{ date: '2000', yearDecimal: 2000, land: [] }])).toThrow(
      /at least 2 dated lands/,
    );
  });
});

describe('cleanPolygons', () => {
  it('turns a bow-tie into two valid triangles', () => {
    const bow: PolygonXY = [
      [
        [0, 0],
        [10, 10],
        [10, 0],
        [0, 10],
        [0, 0],
      ],
    ];
    const clean = cleanPolygons([bow]);
    expect(clean).toHaveLength(2);
    expect(clean.every(valid)).toBe(true);
    expect(planarAreaM2(clean)).toBeCloseTo(50, 9);
  });
});
