import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { parseTideCsv, tideAt, tidesForScenes } from './tide-table.ts';

const CSV = `datetime,height_m
# predicted, Ca Mau, UTC
2020-02-14T02:00:00Z,1.0
2020-02-14T03:00:00Z,0.4

2020-02-14 04:00,-0.2
2020-02-14T12:00:00+07:00,-0.5
`;

const at = (iso: string) => Date.parse(iso);

describe('parseTideCsv', () => {
  it('reads rows with an optional header, comments, blank lines, zones and UTC by default', () => {
    const t = parseTideCsv(CSV, 'tides.csv');
    expect(Array.from(t.heightsM)).toEqual([1, 0.4, -0.2, -0.5]);
    expect(t.timesMs[2]).toBe(at('2020-02-14T04:00:00Z'));
    expect(t.timesMs[3]).toBe(at('2020-02-14T05:00:00Z'));
  });

  it('accepts semicolons and tabs', () => {
    expect(Array.from(parseTideCsv('2020-01-01T00:00Z;1\n2020-01-01T01:00Z\t2').heightsM)).toEqual([1, 2]);
  });

  it.each([
    ['a row with one cell', '2020-02-14T02:00:00Z\n', /line 1: expected/],
    [
      'a bad date',
      '2020-02-14T02:00:00Z,1\n14/02/2020 03:00,1\n',
      /line 2: "14\/02\/2020 03:00" is not an ISO/,
    ],
    ['an impossible date', '2020-02-30T02:00:00Z,1\n', /line 1: "2020-02-30T02:00:00Z" is not an ISO/],
    ['a bad height', '2020-02-14T02:00:00Z,high\n', /line 1: height "high" is not a number/],
    ['an empty height', '2020-02-14T02:00:00Z,\n', /line 1: height "" is not a number/],
    ['an implausible height', '2020-02-14T02:00:00Z,1500\n', /line 1: height 1500 m is not a plausible/],
    ['a repeated time', '2020-02-14T02:00Z,1\n2020-02-14T02:00Z,2\n', /line 2: .* is repeated/],
    ['times going back', '2020-02-14T02:00Z,1\n2020-02-14T01:00Z,2\n', /line 2: .* earlier/],
    ['no rows', 'datetime,height_m\n', /holds no tide rows/],
    ['an empty file', '', /holds no tide rows/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseTideCsv(text, 'tides.csv')).toThrow(TidemarkError);
    expect(() => parseTideCsv(text, 'tides.csv')).toThrow(message);
  });
});

describe('tideAt', () => {
  const table = parseTideCsv(CSV);
  it('interpolates linearly between rows and returns rows exactly', () => {
    expect(tideAt(table, at('2020-02-14T02:30:00Z'))).toBeCloseTo(0.7, 12);
    expect(tideAt(table, at('2020-02-14T03:00:00Z'))).toBe(0.4);
  });
  it('returns null outside the table and inside a long gap', () => {
    expect(tideAt(table, at('2020-02-14T01:59:00Z'))).toBeNull();
    expect(tideAt(table, at('2020-02-14T05:00:01Z'))).toBeNull();
    expect(tideAt(table, at('2020-02-14T04:30:00Z'), 30 * 60_000)).toBeNull();
    expect(tideAt(table, at('2020-02-14T04:30:00Z'))).toBeCloseTo(-0.35, 12);
  });
  it('leaves the table unchanged', () => {
    const before = Array.from(table.heightsM);
    tideAt(table, at('2020-02-14T02:30:00Z'));
    expect(Array.from(table.heightsM)).toEqual(before);
  });
});

describe('tidesForScenes', () => {
  const table = parseTideCsv(CSV, 'tides.csv');
  it('gives one tide per scene', () => {
    expect(tidesForScenes(table, [{ scene: 's1', acquiredAtMs: at('2020-02-14T03:00:00Z') }])).toEqual([0.4]);
  });
  it('names every scene the table does not cover', () => {
    expect(() =>
      tidesForScenes(table, [
        { scene: 'ca-mau-2019', acquiredAtMs: at('2019-02-14T03:25:00Z') },
        { scene: 'ok', acquiredAtMs: at('2020-02-14T03:00:00Z') },
        { scene: 'ca-mau-2021', acquiredAtMs: at('2021-02-14T03:25:00Z') },
      ]),
    ).toThrow(/tides.csv has no tide for 2 scene\(s\): ca-mau-2019, ca-mau-2021/);
  });
});
