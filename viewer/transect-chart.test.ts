import { describe, expect, it } from 'vitest';
import type { TransectSeries } from './transect-api.ts';
import { buildTransectChart, lrrBandHalfWidthM, niceTicks } from './transect-chart.ts';

const SIZE = { widthPx: 360, heightPx: 220 };

function series(overrides: Partial<TransectSeries> = {}): TransectSeries {
  const years = [2016.17, 2018.07, 2020.07, 2022.15, 2025.17];
  const distances = [500.0, 497.4, 495.8, 501.4, 489.4];
  return {
    id: 1,
    transectNo: 1,
    site: 'ca-mau',
    line: null,
    observations: years.map((decimalYear, i) => ({
      date: `${Math.floor(decimalYear)}-03-01`,
      decimalYear,
      distanceM: distances[i]!,
      uncertaintyM: 10,
    })),
    stats: {
      n: 5,
      dateFirst: '2016-03-01',
      dateLast: '2025-03-01',
      nsmM: -10.6,
      sceM: 12,
      eprMPerYr: -1.18,
      eprUncMPerYr: 1.57,
      rateClass: 'erosion',
    },
    lrr: { rateMPerYr: -0.85, interceptM: 2211.45, r2: 0.41, ciMPerYr: 1.39, confidencePct: 90 },
    wlr: null,
    forecast: [
      { horizonYears: 10, decimalYear: 2035.17, date: '2035-03-01', distanceM: 484.2, sigmaM: 16.1 },
      { horizonYears: 20, decimalYear: 2045.17, date: '2045-03-01', distanceM: 475.7, sigmaM: 26.2 },
    ],
    ...overrides,
  };
}

/** The [x, y] vertices of an SVG path of M/L commands. */
function vertices(path: string): [number, number][] {
  return [...path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** The chart's pixel ↔ data mapping, recovered from two observation points (it is affine on both axes). */
function inverseScales(s: TransectSeries, model: NonNullable<ReturnType<typeof buildTransectChart>>) {
  const [a, b] = [model.points[0]!, model.points[model.points.length - 1]!];
  const [oa, ob] = [s.observations[0]!, s.observations[s.observations.length - 1]!];
  const t = (x: number) => oa.decimalYear + ((x - a.x) * (ob.decimalYear - oa.decimalYear)) / (b.x - a.x);
  const d = (y: number) => oa.distanceM + ((y - a.y) * (ob.distanceM - oa.distanceM)) / (b.y - a.y);
  return { t, d };
}

describe('niceTicks', () => {
  it.each([
    [0, 10, 5, [0, 2, 4, 6, 8, 10]],
    [2015.6, 2046.2, 5, [2020, 2030, 2040]],
    [472.3, 511.8, 5, [480, 490, 500, 510]],
    [-3, 3, 3, [-2, 0, 2]],
  ])('%d..%d in about %d steps', (min, max, count, expected) => {
    expect(niceTicks(min, max, count)).toEqual(expected);
  });

  it('gives one tick for an empty range', () => {
    expect(niceTicks(5, 5, 4)).toEqual([5]);
  });
});

describe('lrrBandHalfWidthM', () => {
  const years = [2016, 2018, 2020, 2022, 2024];

  it('is narrowest at the mean year, ci·√(Sxx/n) there, and widens symmetrically', () => {
    expect(lrrBandHalfWidthM(1, years, 2020)).toBeCloseTo(Math.sqrt(40 / 5), 9);
    expect(lrrBandHalfWidthM(1, years, 2016)).toBeCloseTo(lrrBandHalfWidthM(1, years, 2024), 9);
    expect(lrrBandHalfWidthM(1, years, 2016)).toBeGreaterThan(lrrBandHalfWidthM(1, years, 2019));
    expect(lrrBandHalfWidthM(2, years, 2016)).toBeCloseTo(2 * lrrBandHalfWidthM(1, years, 2016), 9);
  });
});

describe('buildTransectChart', () => {
  it('draws the LRR line at the fitted distance at the first and last observation', () => {
    const s = series();
    const model = buildTransectChart(s, SIZE)!;
    const { t, d } = inverseScales(s, model);
    const line = vertices(model.lrrLine!);
    expect(line).toHaveLength(2);
    for (const [x, y] of line) {
      expect(d(y)).toBeCloseTo(s.lrr!.interceptM + s.lrr!.rateMPerYr * t(x), 0);
    }
    expect(t(line[0]![0])).toBeCloseTo(2016.17, 1);
    expect(t(line[1]![0])).toBeCloseTo(2025.17, 1);
  });

  it('wraps the LRR line in its confidence band', () => {
    const s = series();
    const model = buildTransectChart(s, SIZE)!;
    const { d } = inverseScales(s, model);
    const band = vertices(model.lrrBand!);
    const half = band.length / 2;
    const years = s.observations.map((o) => o.decimalYear);
    const mid = Math.floor(half / 2);
    // Upper edge left to right, then lower edge right to left: the band at a sample is the gap between them.
    const widthAt = (i: number) => d(band[i]![1]) - d(band[band.length - 1 - i]![1]);
    const ends = widthAt(0);
    expect(ends / 2).toBeCloseTo(lrrBandHalfWidthM(1.39, years, years[0]!), 0);
    expect(widthAt(mid)).toBeLessThan(ends);
  });

  it('puts the forecast after the record with its ±1σ', () => {
    const s = series();
    const model = buildTransectChart(s, SIZE)!;
    const { t, d } = inverseScales(s, model);
    expect(model.forecastPoints).toHaveLength(2);
    model.forecastPoints.forEach((p, i) => {
      const f = s.forecast[i]!;
      expect(t(p.x)).toBeCloseTo(f.decimalYear, 1);
      expect(d(p.y)).toBeCloseTo(f.distanceM, 0);
      expect(d(p.yHigh) - d(p.yLow)).toBeCloseTo(2 * f.sigmaM, 0);
    });
    // The forecast line starts at the last shoreline.
    const [start] = vertices(model.forecastLine!);
    const last = model.points[model.points.length - 1]!;
    expect(start![0]).toBeCloseTo(last.x, 0);
    expect(start![1]).toBeCloseTo(last.y, 0);
    expect(model.forecastBand).not.toBeNull();
  });

  it('keeps every mark inside the plot', () => {
    const model = buildTransectChart(series(), SIZE)!;
    const { left, right, top, bottom } = model.plot;
    const marks = [...model.points, ...model.forecastPoints];
    for (const p of marks) {
      for (const y of [p.y, p.yLow, p.yHigh]) {
        expect(y).toBeGreaterThanOrEqual(top - 0.5);
        expect(y).toBeLessThanOrEqual(bottom + 0.5);
      }
      expect(p.x).toBeGreaterThanOrEqual(left);
      expect(p.x).toBeLessThanOrEqual(right);
    }
    for (const [x, y] of vertices(`${model.lrrBand}${model.forecastBand}`)) {
      expect(x).toBeGreaterThanOrEqual(left - 0.5);
      expect(x).toBeLessThanOrEqual(right + 0.5);
      expect(y).toBeGreaterThanOrEqual(top - 0.5);
      expect(y).toBeLessThanOrEqual(bottom + 0.5);
    }
    expect(model.xTicks.map((tick) => tick.label)).toContain('2020');
  });

  it('draws positions only when there is no fit or forecast', () => {
    const model = buildTransectChart(series({ lrr: null, forecast: [] }), SIZE)!;
    expect(model.points).toHaveLength(5);
    expect([model.lrrLine, model.lrrBand, model.forecastLine, model.forecastBand]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('copes with one observation and no uncertainty', () => {
    const one = series({ lrr: null, forecast: [] });
    one.observations = [{ ...one.observations[0]!, uncertaintyM: null }];
    const model = buildTransectChart(one, SIZE)!;
    expect(model.points[0]!.yLow).toBe(model.points[0]!.yHigh);
    expect(Number.isFinite(model.points[0]!.x) && Number.isFinite(model.points[0]!.y)).toBe(true);
  });

  it.each([
    ['no observations', series({ observations: [] }), SIZE],
    ['a size too small for the axes', series(), { widthPx: 40, heightPx: 220 }],
    ['a NaN size', series(), { widthPx: Number.NaN, heightPx: 220 }],
  ])('gives no chart for %s', (_label, s, size) => {
    expect(buildTransectChart(s, size)).toBeNull();
  });

  it('does not change the series', () => {
    const s = series();
    const copy = structuredClone(s);
    buildTransectChart(s, SIZE);
    expect(s).toEqual(copy);
  });
});
