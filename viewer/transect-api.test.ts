import { describe, expect, it } from 'vitest';
import { parseTransectSeries } from './transect-api.ts';

// The shape GET /api/transects/{id}/series serves (api/routes/transects.ts).
const series = {
  transect: {
    id: 1,
    transectNo: 1,
    site: 'ca-mau',
    lengthM: 2000,
    geometry: {
      type: 'LineString',
      coordinates: [
        [104.7543, 8.6849],
        [104.7362, 8.6829],
      ],
    },
  },
  observations: [
    { date: '2018-01-26', decimalYear: 2018.07, distanceM: 497.4, uncertaintyM: 10 },
    { date: '2016-03-05', decimalYear: 2016.17, distanceM: 500.0, uncertaintyM: null },
  ],
  stats: {
    n: 2,
    dateFirst: '2016-03-05',
    dateLast: '2018-01-26',
    nsmM: -2.6,
    sceM: 2.6,
    eprMPerYr: -1.4,
    eprUncMPerYr: null,
    rateClass: 'critical_erosion',
  },
  lrr: { rateMPerYr: -0.85, interceptM: 2211.45, r2: 0.41, seM: 4.1, ciMPerYr: 1.39, confidencePct: 90 },
  wlr: null,
  forecast: [
    { horizonYears: 20, decimalYear: 2038.07, date: '2038-01-26', distanceM: 475.7, sigmaM: 26.2 },
    { horizonYears: 10, decimalYear: 2028.07, date: '2028-01-26', distanceM: 484.2, sigmaM: 16.1 },
  ],
};

describe('parseTransectSeries', () => {
  it('reads positions (sorted by time), statistics, fits and forecasts (sorted by horizon)', () => {
    const copy = structuredClone(series);
    const parsed = parseTransectSeries(series);
    expect(series).toEqual(copy);
    expect(parsed.observations.map((o) => o.date)).toEqual(['2016-03-05', '2018-01-26']);
    expect(parsed.observations[0]!.uncertaintyM).toBeNull();
    expect(parsed.lrr).toEqual({
      rateMPerYr: -0.85,
      interceptM: 2211.45,
      r2: 0.41,
      ciMPerYr: 1.39,
      confidencePct: 90,
    });
    expect(parsed.wlr).toBeNull();
    expect(parsed.forecast.map((f) => f.horizonYears)).toEqual([10, 20]);
    expect(parsed.stats.rateClass).toBe('critical_erosion');
    expect(parsed.line).toEqual([
      [104.7543, 8.6849],
      [104.7362, 8.6829],
    ]);
  });

  it.each([
    ['no transect', { ...series, transect: undefined }, 'transect is not an object'],
    ['observations not a list', { ...series, observations: {} }, 'observations is not a list'],
    [
      'an observation without a distance',
      { ...series, observations: [{ date: '2016-01-01', decimalYear: 2016 }] },
      'distanceM is missing',
    ],
    [
      'a NaN rate',
      { ...series, lrr: { ...series.lrr, rateMPerYr: Number.NaN } },
      'rateMPerYr is not a number',
    ],
    [
      'a negative sigma',
      { ...series, forecast: [{ ...series.forecast[0], sigmaM: -1 }] },
      'sigmaM is negative',
    ],
  ])('rejects %s', (_label, json, message) => {
    expect(() => parseTransectSeries(json)).toThrow(message);
  });
});

describe('the transect line', () => {
  it.each([
    ['no geometry', undefined],
    ['a point', { type: 'Point', coordinates: [104, 8] }],
    ['one vertex', { type: 'LineString', coordinates: [[104, 8]] }],
    [
      'a string vertex',
      {
        type: 'LineString',
        coordinates: [
          [104, 8],
          ['104', 8],
        ],
      },
    ],
  ])('is null for %s, the rest of the series still read', (_label, geometry) => {
    const parsed = parseTransectSeries({ ...series, transect: { ...series.transect, geometry } });
    expect(parsed.line).toBeNull();
    expect(parsed.observations).toHaveLength(2);
  });
});
