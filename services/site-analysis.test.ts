import { describe, expect, it } from 'vitest';
import { CoastModel } from '../fixtures/coast-model.ts';
import { transectEnds } from '../pipeline/dsas/cast-transects.ts';
import type { DatedShoreline, XY } from '../pipeline/dsas/types.ts';
import {
  type AnalyzeOptions,
  computeSiteAnalysis,
  FORECAST_HORIZONS_YR,
  resolveAnalyzeOptions,
} from './site-analysis.ts';

// The fixture coast (sea to the west, rates −45…+90 m/yr): its exact lines run north to south with the sea
// on their right, as extracted lines do.
const model = new CoastModel({ seed: 7, widthPx: 1024, ponds: false });
const truth: DatedShoreline[] = model.years.map((year) => ({
  date: model.acquisitionDate(year),
  yearDecimal: model.decimalYear(year),
  pieces: [{ coordinates: model.shorelineUtm(year, 10) as XY[], uncertaintyM: 10 }],
}));
const defaults = resolveAnalyzeOptions();
/** Easting 300 m inland of every shoreline: where a straight onshore baseline can run. */
const inlandX = Math.max(...truth.flatMap((s) => s.pieces[0]!.coordinates.map((p) => p[0]))) + 300;

describe('resolveAnalyzeOptions', () => {
  it('fills in the DSAS defaults', () => {
    expect(defaults).toEqual({
      spacingM: 50,
      lengthM: 2000,
      confidence: 0.9,
      uncertaintyM: 10,
      intersection: 'seaward',
      baselineOffsetM: 500,
      smoothingM: 500,
      horizonsYr: FORECAST_HORIZONS_YR,
    });
  });

  const bad: [string, AnalyzeOptions, RegExp][] = [
    ['a negative spacing', { spacingM: -50 }, /spacing must be a positive number of metres, got -50/],
    ['a zero spacing', { spacingM: 0 }, /spacing must be a positive number/],
    ['a NaN spacing', { spacingM: Number.NaN }, /spacing must be a positive number/],
    ['a spacing given as text', { spacingM: '50' as unknown as number }, /spacing must be a positive number/],
    ['a negative length', { lengthM: -1 }, /length must be a positive number/],
    ['an infinite length', { lengthM: Number.POSITIVE_INFINITY }, /length must be a positive number/],
    ['a zero uncertainty', { uncertaintyM: 0 }, /uncertainty must be a positive number/],
    ['a negative baseline offset', { baselineOffsetM: -500 }, /baseline offset must be a positive number/],
    ['a negative smoothing', { smoothingM: -1 }, /smoothing must be 0 or more metres/],
    ['a confidence of 0', { confidence: 0 }, /confidence must be a fraction between 0 and 1/],
    ['a confidence of 1', { confidence: 1 }, /confidence must be a fraction between 0 and 1/],
    ['a confidence given in percent', { confidence: 90 }, /confidence must be a fraction between 0 and 1/],
    [
      'an unknown intersection rule',
      { intersection: 'middle' as 'seaward' },
      /intersection must be 'seaward' or 'landward', got 'middle'/,
    ],
  ];
  for (const [name, options, message] of bad) {
    it(`rejects ${name}`, () => {
      expect(() => resolveAnalyzeOptions(options)).toThrow(message);
    });
  }
});

describe('computeSiteAnalysis on the fixture coast', () => {
  const analysis = computeSiteAnalysis(truth, null, defaults);

  it('generates the baseline landward of the earliest shoreline, with the sea on its right', () => {
    expect(analysis.baseline.source).toBe('generated');
    expect(analysis.baseline.offsetM).toBe(500);
    expect(analysis.baseline.smoothingM).toBe(1000);
    expect(analysis.baseline.seaSide).toBe('right');
    // The sea is west: the baseline lies east of the earliest line, about 500 m away.
    const part = analysis.baseline.parts[0]!;
    const mid = part[Math.floor(part.length / 2)]!;
    const shoreX = model.sceneShorelineXM(mid[1], model.years[0]!);
    expect(mid[0] - shoreX).toBeGreaterThan(400);
    expect(mid[0] - shoreX).toBeLessThan(600);
  });

  it('measures the true rate on every transect within 0.01 m/yr', () => {
    let compared = 0;
    for (const r of analysis.results) {
      const [origin, end] = transectEnds(r.transect);
      const rate = model.trueRateAlongTransectMPerYr(origin, end, { includeTide: true });
      if (rate === null || r.stats.lrr === null) continue;
      expect(Math.abs(r.stats.lrr.rateMPerYr - rate)).toBeLessThan(0.01);
      compared++;
    }
    // Transects every 50 m along a ~10 km coast; the ends of the coast may miss some years.
    expect(compared).toBeGreaterThan(0.9 * (model.heightM / 50));
  });

  it('closes the land of every date and compares consecutive dates and first → last', () => {
    expect(analysis.lands.map((l) => l.date)).toEqual(truth.map((s) => s.date));
    const dates = truth.map((s) => s.date);
    expect(analysis.changePeriods).toEqual([
      ...dates.slice(1).map((toDate, i) => ({ fromDate: dates[i], toDate, span: 'consecutive' })),
      { fromDate: dates[0], toDate: dates.at(-1), span: 'overall' },
    ]);
    expect(analysis.warnings).toEqual([]);
  });

  it('builds a forecast line, band and hazard zone for each horizon', () => {
    expect(analysis.forecasts.map((f) => f.horizonYr)).toEqual([10, 20]);
    for (const f of analysis.forecasts) {
      expect(f.lines.length).toBeGreaterThan(0);
      expect(f.band.length).toBeGreaterThan(0);
      // Part of the coast erodes at up to 45 m/yr: there is land at risk.
      expect(f.hazard.length).toBeGreaterThan(0);
    }
  });

  it('leaves its input unchanged', () => {
    const shorelines = truth.slice(0, 4);
    const before = structuredClone(shorelines);
    const baseline = [
      [
        [inlandX, model.originYM - 100],
        [inlandX, model.originYM - model.heightM + 100],
      ] as XY[],
    ];
    const baselineBefore = structuredClone(baseline);
    computeSiteAnalysis(shorelines, baseline, { ...defaults, spacingM: 500 });
    expect(shorelines).toEqual(before);
    expect(baseline).toEqual(baselineBefore);
  });
});

describe('computeSiteAnalysis edge cases', () => {
  const options = { ...defaults, spacingM: 250 };

  it('uses a supplied baseline and finds its sea side', () => {
    // A straight baseline well inland, drawn south to north: the sea (west) is on its left.
    const baseline: XY[][] = [
      [
        [inlandX, model.originYM - model.heightM + 100],
        [inlandX, model.originYM - 100],
      ],
    ];
    const analysis = computeSiteAnalysis(truth, baseline, options);
    expect(analysis.baseline).toMatchObject({
      source: 'supplied',
      seaSide: 'left',
      offsetM: null,
      smoothingM: null,
    });
    const withRate = analysis.results.filter((r) => r.stats.lrr !== null);
    expect(withRate.length).toBeGreaterThan(0.9 * analysis.results.length);
  });

  it('refuses, before casting any, a spacing that casts too many transects and a length too long', () => {
    expect(() => computeSiteAnalysis(truth, null, { ...defaults, spacingM: 0.001 })).toThrow(
      /^spacing 0\.001 would cast [\d,]+ transects along the [\d,]+ m baseline, more than the maximum of 100,000: use spacing [\d.]+ or more$/,
    );
    expect(() => computeSiteAnalysis(truth, null, { ...defaults, lengthM: 1e9 })).toThrow(
      /^transect length must be at most 100000 metres, got 1000000000$/,
    );
  });

  it('refuses a supplied baseline drawn on the sea side, which would flip the sign of every rate', () => {
    // West of every shoreline, in the sea; read as onshore, it would take the land for the sea.
    const seawardX = Math.min(...truth.flatMap((s) => s.pieces[0]!.coordinates.map((p) => p[0]))) - 300;
    const baseline: XY[][] = [
      [
        [seawardX, model.originYM - model.heightM + 100],
        [seawardX, model.originYM - 100],
      ],
    ];
    expect(() => computeSiteAnalysis(truth, baseline, options)).toThrow(
      /^the baseline lies on the sea side of the shorelines \(100 % of their length faces it with the land\)/,
    );
  });

  it('with two dates compares them as consecutive and as first → last, and forecasts nothing', () => {
    const analysis = computeSiteAnalysis(truth.slice(0, 2), null, options);
    const [a, b] = truth;
    expect(analysis.changePeriods).toEqual([
      { fromDate: a!.date, toDate: b!.date, span: 'consecutive' },
      { fromDate: a!.date, toDate: b!.date, span: 'overall' },
    ]);
    // A forecast needs 4 shorelines and LRR 3: explicit nulls, so no forecast geometry at all.
    expect(analysis.results.every((r) => r.stats.lrr === null && r.forecast === null)).toBe(true);
    expect(analysis.forecasts.every((f) => f.lines.length === 0 && f.band.length === 0)).toBe(true);
  });

  it('leaves a shoreline with a gap out of the change polygons, with a warning, but keeps its rates', () => {
    const gapped = truth.map((s, i) => {
      if (i !== 3) return s;
      const line = s.pieces[0]!.coordinates;
      const cut = Math.floor(line.length / 2);
      return {
        ...s,
        pieces: [
          { coordinates: line.slice(0, cut - 20), uncertaintyM: 10 },
          { coordinates: line.slice(cut + 20), uncertaintyM: 10 },
        ],
      };
    });
    const analysis = computeSiteAnalysis(gapped, null, options);
    expect(analysis.lands.map((l) => l.date)).not.toContain(truth[3]!.date);
    expect(analysis.lands).toHaveLength(truth.length - 1);
    expect(analysis.warnings.join('\n')).toMatch(
      new RegExp(`the shoreline of ${truth[3]!.date} has an open end .* left out of the change polygons`),
    );
    expect(
      analysis.changePeriods.some((p) => p.fromDate === truth[2]!.date && p.toDate === truth[4]!.date),
    ).toBe(true);
    expect(analysis.results.filter((r) => r.stats.n === truth.length).length).toBeGreaterThan(0);
  });

  it('rejects fewer than 2 shorelines and duplicate dates', () => {
    expect(() => computeSiteAnalysis(truth.slice(0, 1), null, options)).toThrow(/at least 2 shorelines/);
    const duplicate = [truth[0]!, { ...truth[1]!, yearDecimal: truth[0]!.yearDecimal }];
    expect(() => computeSiteAnalysis(duplicate, null, options)).toThrow(/same date/);
  });

  it('rejects a baseline with no lines', () => {
    expect(() => computeSiteAnalysis(truth, [], options)).toThrow(/the baseline has no lines/);
  });
});
