import { describe, expect, it } from 'vitest';
import {
  formatAreaHa,
  formatDistanceM,
  formatKm,
  formatNumber,
  formatPercent,
  formatRateMPerYr,
  formatRateWithCi,
  formatSigned,
  formatYears,
} from './format.ts';

describe('format', () => {
  it('writes a typographic minus and no minus on a rounded zero', () => {
    expect(formatNumber(-1.234, 2)).toBe('−1.23');
    expect(formatNumber(1.235, 1)).toBe('1.2');
    expect(formatNumber(-0.001, 2)).toBe('0.00');
    expect(formatSigned(0.5, 1)).toBe('+0.5');
    expect(formatSigned(-0.5, 1)).toBe('−0.5');
    expect(formatSigned(0.0001, 2)).toBe('0.00');
  });

  it('puts the unit on every value', () => {
    expect(formatRateMPerYr(-8.6812)).toBe('−8.68 m/yr');
    expect(formatRateMPerYr(2)).toBe('+2.00 m/yr');
    expect(formatRateWithCi(-0.8487, 1.3919)).toBe('−0.85 ± 1.39 m/yr');
    expect(formatRateWithCi(-0.8487, null)).toBe('−0.85 m/yr');
    expect(formatDistanceM(12.34)).toBe('12.3 m');
    expect(formatDistanceM(-10.575, { signed: true })).toBe('−10.6 m');
    expect(formatDistanceM(3, { signed: true })).toBe('+3.0 m');
    expect(formatAreaHa(1_026_200)).toBe('102.62 ha');
    expect(formatKm(4.2)).toBe('4.20 km');
    expect(formatYears(1)).toBe('1.0 years');
    expect(formatPercent(0.423)).toBe('42 %');
  });

  it.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY])(
    'shows a dash for %s, never a zero',
    (value) => {
      for (const f of [
        (v: typeof value) => formatNumber(v, 2),
        (v: typeof value) => formatSigned(v, 2),
        formatRateMPerYr,
        (v: typeof value) => formatRateWithCi(v, 1),
        (v: typeof value) => formatDistanceM(v),
        formatAreaHa,
        formatKm,
        formatYears,
        formatPercent,
      ]) {
        expect(f(value)).toBe('—');
      }
    },
  );
});
