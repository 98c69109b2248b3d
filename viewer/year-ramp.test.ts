import { describe, expect, it } from 'vitest';
import { colorToHex, evaluatePaint } from './evaluate-style-expression.ts';
import { YEAR_RAMP, yearColor, yearColorExpression } from './year-ramp.ts';

describe('year ramp', () => {
  const range = { minYear: 2016, maxYear: 2024 };

  it('puts the first and last ramp colours on the first and last year', () => {
    expect(yearColor(2016, range)).toBe(YEAR_RAMP[0]);
    expect(yearColor(2024, range)).toBe(YEAR_RAMP[YEAR_RAMP.length - 1]);
  });

  it('lands exactly on each stop when the range has one year per stop', () => {
    // 9 stops over 2016..2024: one per year.
    expect(YEAR_RAMP.map((_, i) => yearColor(2016 + i, range))).toEqual(YEAR_RAMP);
  });

  it('interpolates between stops in RGB like MapLibre', () => {
    const halfway = yearColor(2016.5, range);
    // Midpoint of #440154 and #482878.
    expect(halfway).toBe('#461566');
  });

  it('clamps years outside the range and handles a single-year range', () => {
    expect(yearColor(1990, range)).toBe(YEAR_RAMP[0]);
    expect(yearColor(2100, range)).toBe(YEAR_RAMP[YEAR_RAMP.length - 1]);
    expect(yearColor(2020, { minYear: 2020, maxYear: 2020 })).toBe(YEAR_RAMP[YEAR_RAMP.length - 1]);
    expect(yearColorExpression('year', { minYear: 2020, maxYear: 2020 })).toBe(
      YEAR_RAMP[YEAR_RAMP.length - 1],
    );
  });

  it('builds an interpolate expression with ascending stops over the range', () => {
    const expr = yearColorExpression('year', { minYear: 2016, maxYear: 2025 }) as unknown[];
    expect(expr.slice(0, 3)).toEqual(['interpolate', ['linear'], ['to-number', ['get', 'year'], 2016]]);
    const stops = expr.slice(3);
    expect(stops.length).toBe(YEAR_RAMP.length * 2);
    const inputs = stops.filter((_, i) => i % 2 === 0) as number[];
    expect(inputs[0]).toBe(2016);
    expect(inputs[inputs.length - 1]).toBe(2025);
    for (let i = 1; i < inputs.length; i++) expect(inputs[i]!).toBeGreaterThan(inputs[i - 1]!);
  });

  it('gives the colour MapLibre draws for every year (legend = map)', () => {
    const wide = { minYear: 2016, maxYear: 2025 };
    const expr = yearColorExpression('year', wide);
    for (let year = 2016; year <= 2025; year++) {
      expect(colorToHex(evaluatePaint('line', 'line-color', expr, { year }))).toBe(yearColor(year, wide));
    }
  });
});
