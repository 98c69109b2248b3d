import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { decimalYearOfTime, parseDecimalYear } from './decimal-year.ts';

describe('parseDecimalYear', () => {
  it('counts the elapsed share of the year, leap years included', () => {
    expect(parseDecimalYear('2021-01-01')).toBe(2021);
    expect(parseDecimalYear('2020-07-02')).toBeCloseTo(2020 + 183 / 366, 12);
    expect(parseDecimalYear('2019-07-02T12:00:00Z')).toBeCloseTo(2019 + 182.5 / 365, 12);
    expect(parseDecimalYear('2019')).toBe(2019);
  });

  it('honours a UTC offset', () => {
    expect(parseDecimalYear('2019-01-02T07:00:00+07:00')).toBeCloseTo(2019 + 1 / 365, 12);
  });

  it('passes a numeric decimal year through', () => {
    expect(parseDecimalYear(1859.9)).toBe(1859.9);
  });

  it.each([
    [undefined, /missing/],
    ['', /missing/],
    ['yesterday', /not an ISO 8601 date/],
    ['2019-02-30', /not a valid calendar date/],
    ['2019-13-01', /not a valid calendar date/],
    [Number.NaN, /not a plausible decimal year/],
    [20190314, /not a plausible decimal year/],
    [{}, /missing/],
  ])('rejects %j', (value, message) => {
    expect(() => parseDecimalYear(value)).toThrow(TidemarkError);
    expect(() => parseDecimalYear(value)).toThrow(message);
  });

  it('is the inverse of decimalYearOfTime at the start of a year', () => {
    expect(decimalYearOfTime(Date.UTC(2000, 0, 1))).toBe(2000);
  });
});
