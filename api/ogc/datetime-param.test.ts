import { describe, expect, it } from 'vitest';
import { parseDatetimeParam } from './datetime-param.ts';

const ok = (start: string | null, end: string | null) => ({ ok: true, value: { start, end } });

describe('parseDatetimeParam', () => {
  it('reads an instant as itself, in UTC', () => {
    expect(parseDatetimeParam('2020-03-05T03:25:00Z')).toEqual(
      ok('2020-03-05T03:25:00.000Z', '2020-03-05T03:25:00.000Z'),
    );
    expect(parseDatetimeParam('2020-03-05T10:25:00.5+07:00')).toEqual(
      ok('2020-03-05T03:25:00.500Z', '2020-03-05T03:25:00.500Z'),
    );
    expect(parseDatetimeParam('2020-03-05t03:25:00z')).toEqual(
      ok('2020-03-05T03:25:00.000Z', '2020-03-05T03:25:00.000Z'),
    );
    // Across midnight through the offset.
    expect(parseDatetimeParam('2020-03-01T01:00:00-02:30')).toEqual(
      ok('2020-03-01T03:30:00.000Z', '2020-03-01T03:30:00.000Z'),
    );
  });

  it('reads a date as its whole UTC day', () => {
    expect(parseDatetimeParam('2020-02-29')).toEqual(
      ok('2020-02-29T00:00:00.000Z', '2020-02-29T23:59:59.999Z'),
    );
  });

  it('reads intervals with open ends (.. or empty)', () => {
    expect(parseDatetimeParam('2018-01-01/2020-12-31')).toEqual(
      ok('2018-01-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z'),
    );
    expect(parseDatetimeParam('2018-01-01T00:00:00Z/..')).toEqual(ok('2018-01-01T00:00:00.000Z', null));
    expect(parseDatetimeParam('../2018-01-01T00:00:00Z')).toEqual(ok(null, '2018-01-01T00:00:00.000Z'));
    expect(parseDatetimeParam('/2018-01-01')).toEqual(ok(null, '2018-01-01T23:59:59.999Z'));
    expect(parseDatetimeParam('2018-01-01/')).toEqual(ok('2018-01-01T00:00:00.000Z', null));
    expect(parseDatetimeParam('../..')).toEqual(ok(null, null));
    // One day as an interval.
    expect(parseDatetimeParam('2020-03-05/2020-03-05')).toEqual(
      ok('2020-03-05T00:00:00.000Z', '2020-03-05T23:59:59.999Z'),
    );
  });

  it("reads GDAL's date with a bare T (GDAL 3.6 OAPIF -where on a date field) as that date", () => {
    expect(parseDatetimeParam('2018-01-01T/2021-01-01T')).toEqual(
      ok('2018-01-01T00:00:00.000Z', '2021-01-01T23:59:59.999Z'),
    );
  });

  it.each([
    ['an empty value', ''],
    ['a year alone', '2020'],
    ['a month alone', '2020-03'],
    ['month 13', '2020-13-01'],
    ['day 0', '2020-03-00'],
    ['30 February', '2020-02-30'],
    ['29 February of a common year', '2019-02-29'],
    ['hour 24', '2020-03-05T24:00:00Z'],
    ['minute 60', '2020-03-05T10:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['no time zone', '2020-03-05T03:25:00'],
    ['a short time', '2020-03-05T03:25Z'],
    ['an offset hour of 24', '2020-03-05T03:25:00+24:00'],
    ['a space separator', '2020-03-05 03:25:00Z'],
    ['a slash date', '2020/03/05'],
    ['text', 'yesterday'],
    ['three parts', '2018-01-01/2019-01-01/2020-01-01'],
    ['a bad start', 'x/2020-01-01'],
    ['a bad end', '2020-01-01/x'],
    ['a start after the end', '2021-01-01/2020-01-01'],
    ['SQL', "2020-01-01' OR '1'='1"],
    ['a five-digit year', '12020-01-01'],
    ['year 0, which PostgreSQL does not have', '0000-01-01'],
    ['year 0 at the start of an interval', '0000-01-01T00:00:00Z/..'],
    ['a time in year 1 whose offset puts it in year 0', '0001-01-01T00:00:00+01:00'],
  ])('refuses %s', (_label, raw) => {
    expect(parseDatetimeParam(raw).ok).toBe(false);
  });
});
