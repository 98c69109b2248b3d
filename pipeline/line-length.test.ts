import { describe, expect, it } from 'vitest';
import { geodesicLengthM, lineLengthM, planarLength } from './line-length.ts';

describe('line lengths', () => {
  it('measures planar length in CRS units', () => {
    expect(planarLength(Float64Array.of(0, 0, 3, 4, 3, 10))).toBe(11);
    expect(planarLength(Float64Array.of(1, 1))).toBe(0);
  });

  it('measures one degree of latitude as about 111.2 km on the sphere', () => {
    expect(geodesicLengthM(Float64Array.of(105, 8, 105, 9))).toBeCloseTo(111195, -1);
    expect(
      geodesicLengthM([
        [105, 0],
        [106, 0],
      ]),
    ).toBeCloseTo(111195, -1);
  });

  it('uses the CRS unit size for projected CRSs and geodesics for geographic ones', () => {
    const feet = lineLengthM(Float64Array.of(0, 0, 1000, 0), { crsUnits: 'metre', metresPerUnit: 0.3048 });
    expect(feet).toBeCloseTo(304.8, 9);
    const degrees = lineLengthM(Float64Array.of(105, 8, 105, 9), {
      crsUnits: 'degree',
      metresPerUnit: Number.NaN,
    });
    expect(degrees).toBeCloseTo(111195, -1);
  });

  it('leaves its input unchanged', () => {
    const line = Float64Array.of(0, 0, 3, 4);
    planarLength(line);
    geodesicLengthM(line);
    expect(Array.from(line)).toEqual([0, 0, 3, 4]);
  });
});
