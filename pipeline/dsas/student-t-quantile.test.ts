import { describe, expect, it } from 'vitest';
import {
  inverseRegularizedIncompleteBeta,
  logGamma,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from './student-t-quantile.ts';

describe('studentTQuantile', () => {
  // Published t-table values (two-sided 80/90/95/99 %, i.e. p = 0.90/0.95/0.975/0.995), 6 decimals.
  it.each([
    [0.95, 1, 6.313752],
    [0.975, 1, 12.706205],
    [0.95, 2, 2.919986],
    [0.9, 5, 1.475884],
    [0.95, 9, 1.833113],
    [0.975, 10, 2.228139],
    [0.995, 10, 3.169273],
    [0.995, 30, 2.749996],
    [0.975, 120, 1.97993],
    [0.95, 1000, 1.646379],
    [0.9995, 3, 12.923979],
  ])('t(%f, df=%d) = %f', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 5);
  });

  it('is antisymmetric and zero at the median', () => {
    expect(studentTQuantile(0.05, 9)).toBeCloseTo(-1.833113, 5);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  it('approaches the normal quantile for large df', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('inverts the CDF', () => {
    for (const df of [1, 2.5, 4, 17, 60]) {
      for (const p of [0.6, 0.8, 0.95, 0.999])
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 12);
    }
  });

  it.each([
    [0, 5],
    [1, 5],
    [1.2, 5],
    [Number.NaN, 5],
    [0.9, 0],
    [0.9, -1],
    [0.9, Number.NaN],
    [0.9, Number.POSITIVE_INFINITY],
  ])('rejects p=%f df=%f', (p, df) => {
    expect(() => studentTQuantile(p, df)).toThrow(/t quantile needs/);
  });
});

describe('incomplete beta', () => {
  it('matches closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1/2, 1/2) = (2/π)·asin(√x).
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.7, 3, 1)).toBeCloseTo(0.343, 14);
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo(
      (2 / Math.PI) * Math.asin(Math.sqrt(0.2)),
      13,
    );
    expect(inverseRegularizedIncompleteBeta(0.343, 3, 1)).toBeCloseTo(0.7, 13);
  });

  it('logGamma matches factorials', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});
