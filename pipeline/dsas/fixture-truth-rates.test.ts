import { describe, expect, it } from 'vitest';
import { CoastModel } from '../../fixtures/coast-model.ts';
import { castTransects, transectEnds } from './cast-transects.ts';
import { computeRates } from './compute-rates.ts';
import type { DatedShoreline, XY } from './types.ts';

// The fixture coast model (sea to the west, rates −45…+90 m/yr, tide scatter) gives exact shorelines and the
// true rate any transect should measure: rates from the exact lines must match it to 0.01 m/yr.
describe('rates from the fixture truth lines', () => {
  const model = new CoastModel({ seed: 7, widthPx: 1024, firstYear: 2016, lastYear: 2025, ponds: false });
  const shorelines: DatedShoreline[] = model.years.map((year) => ({
    date: model.acquisitionDate(year),
    yearDecimal: model.decimalYear(year),
    pieces: [{ coordinates: model.shorelineUtm(year) as XY[], uncertaintyM: 10 }],
  }));
  // A straight baseline well inland (east), north to south: the sea is on its right.
  const x = model.originXM + 0.9 * model.widthM;
  const baseline: XY[] = [
    [x, model.originYM - 100],
    [x, model.originYM - model.heightM + 100],
  ];

  it('matches the true rate on every transect within 0.01 m/yr', () => {
    const transects = castTransects([baseline], {
      spacingM: 250,
      lengthM: 0.9 * model.widthM,
      seaSide: 'right',
    });
    const results = computeRates(shorelines, transects);
    let compared = 0;
    for (const r of results) {
      const [origin, end] = transectEnds(r.transect);
      const truth = model.trueRateAlongTransectMPerYr(origin, end, { includeTide: true });
      if (truth === null) continue;
      expect(r.stats.n).toBe(model.years.length);
      expect(Math.abs(r.stats.lrr!.rateMPerYr - truth)).toBeLessThan(0.01);
      compared++;
    }
    expect(compared).toBeGreaterThan(0.9 * results.length);
  });
});
