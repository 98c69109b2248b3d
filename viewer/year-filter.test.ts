import { describe, expect, it } from 'vitest';
import { evaluateFilter, evaluatePaint } from './evaluate-style-expression.ts';
import {
  changeOpacityExpression,
  changePeriodFilter,
  clampYearWindow,
  shorelineYearFilter,
} from './year-filter.ts';

describe('shorelineYearFilter', () => {
  it('keeps the shorelines of the window, both ends included (as MapLibre evaluates it)', () => {
    const filter = shorelineYearFilter({ from: 2018, to: 2020 });
    const kept = [2016, 2017, 2018, 2019, 2020, 2021].filter((year) => evaluateFilter(filter, { year }));
    expect(kept).toEqual([2018, 2019, 2020]);
    expect(evaluateFilter(filter, {})).toBe(false);
  });
});

describe('changePeriodFilter', () => {
  const period = (start: string, end: string, kind = 'consecutive') => ({
    period_start: start,
    period_end: end,
    period_kind: kind,
  });

  it('keeps consecutive periods lying within the window, as the tile API does', () => {
    const filter = changePeriodFilter({ from: 2018, to: 2022 });
    expect(evaluateFilter(filter, period('2018-03-01', '2020-02-27'))).toBe(true);
    expect(evaluateFilter(filter, period('2020-02-27', '2022-12-31'))).toBe(true);
    expect(evaluateFilter(filter, period('2016-03-05', '2018-03-01'))).toBe(false);
    expect(evaluateFilter(filter, period('2022-03-01', '2025-03-04'))).toBe(false);
  });

  it('leaves out whole-record polygons, which overlap every consecutive one', () => {
    const filter = changePeriodFilter({ from: 2016, to: 2025 });
    expect(evaluateFilter(filter, period('2016-03-05', '2025-03-04', 'total'))).toBe(false);
    expect(evaluateFilter(filter, period('2016-03-05', '2018-03-01'))).toBe(true);
  });
});

describe('changeOpacityExpression', () => {
  it('fades older periods and keeps the latest strong', () => {
    const expr = changeOpacityExpression({ from: 2016, to: 2025 }, 0.2, 0.8);
    const at = (end: string) => evaluatePaint('fill', 'fill-opacity', expr, { period_end: end }) as number;
    expect(at('2016-06-01')).toBeCloseTo(0.2, 6);
    expect(at('2025-03-04')).toBeCloseTo(0.8, 6);
    expect(at('2020-01-01')).toBeGreaterThan(at('2018-01-01'));
  });

  it('is one opacity for a one-year record', () => {
    expect(changeOpacityExpression({ from: 2020, to: 2020 }, 0.2, 0.8)).toBe(0.8);
  });
});

describe('clampYearWindow', () => {
  const record = { from: 2016, to: 2025 };

  it.each([
    ['no years asked', {}, { from: 2016, to: 2025 }],
    ['a window inside', { from: 2018, to: 2020 }, { from: 2018, to: 2020 }],
    ['only a start', { from: 2019 }, { from: 2019, to: 2025 }],
    ['only an end', { to: 2019 }, { from: 2016, to: 2019 }],
    ['a window sticking out', { from: 2000, to: 2030 }, { from: 2016, to: 2025 }],
    ['a window entirely after', { from: 2030, to: 2031 }, { from: 2025, to: 2025 }],
    ['an inverted window', { from: 2022, to: 2018 }, { from: 2016, to: 2025 }],
  ])('handles %s', (_label, wanted, expected) => {
    expect(clampYearWindow(wanted, record)).toEqual(expected);
  });
});
