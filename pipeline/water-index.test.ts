import { describe, expect, it } from 'vitest';
import { awei, mndwi, ndwi, normalizedDifference, waterIndex } from './water-index.ts';

describe('normalizedDifference', () => {
  it('computes (a − b)/(a + b)', () => {
    const out = normalizedDifference(Float32Array.of(0.3, 0.1, 0.2), Float32Array.of(0.1, 0.3, 0.2));
    expect(out[0]).toBeCloseTo(0.5, 6);
    expect(out[1]).toBeCloseTo(-0.5, 6);
    expect(out[2]).toBe(0);
  });

  it('gives NaN for NaN inputs and a zero sum instead of ±Infinity', () => {
    const out = normalizedDifference(
      Float32Array.of(Number.NaN, 0.2, 0, -0.1),
      Float32Array.of(0.1, Number.NaN, 0, 0.1),
    );
    expect(Array.from(out).every(Number.isNaN)).toBe(true);
  });

  it('rejects bands of different lengths', () => {
    expect(() => normalizedDifference(new Float32Array(3), new Float32Array(4))).toThrow(RangeError);
  });

  it('leaves its inputs unchanged', () => {
    const a = Float32Array.of(0.3, Number.NaN, 0);
    const b = Float32Array.of(0.1, 0.2, 0);
    normalizedDifference(a, b);
    expect(Array.from(a)).toEqual([Math.fround(0.3), Number.NaN, 0]);
    expect(Array.from(b)).toEqual([Math.fround(0.1), Math.fround(0.2), 0]);
  });
});

describe('named indices', () => {
  const green = Float32Array.of(0.08);
  const nir = Float32Array.of(0.02);
  const swir16 = Float32Array.of(0.24);

  it('mndwi uses green and swir16, ndwi green and nir', () => {
    expect(mndwi(green, swir16)[0]).toBeCloseTo((0.08 - 0.24) / (0.08 + 0.24), 6);
    expect(ndwi(green, nir)[0]).toBeCloseTo((0.08 - 0.02) / (0.08 + 0.02), 6);
    expect(waterIndex('mndwi', { green, swir16 })[0]).toBeCloseTo(mndwi(green, swir16)[0]!, 7);
    expect(waterIndex('ndwi', { green, nir })[0]).toBeCloseTo(ndwi(green, nir)[0]!, 7);
  });

  it('awei = 4(green − swir16) − (0.25 nir + 2.75 swir22) on reflectance', () => {
    const swir22 = Float32Array.of(0.1);
    const expected = 4 * (0.08 - 0.24) - (0.25 * 0.02 + 2.75 * 0.1);
    expect(awei(green, nir, swir16, swir22, 1)[0]).toBeCloseTo(expected, 6);
    const dn = (a: Float32Array) => Float32Array.from(a, (v) => v * 10000);
    expect(
      waterIndex('awei', { green: dn(green), nir: dn(nir), swir16: dn(swir16), swir22: dn(swir22) }, 1e-4)[0],
    ).toBeCloseTo(expected, 4);
    expect(awei(Float32Array.of(Number.NaN), nir, swir16, swir22, 1)[0]).toBeNaN();
  });

  it('waterIndex names the missing band', () => {
    expect(() => waterIndex('mndwi', { green })).toThrow(/swir16/);
  });
});
