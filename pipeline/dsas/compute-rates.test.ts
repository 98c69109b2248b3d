import { describe, expect, it } from 'vitest';
import { castTransects } from './cast-transects.ts';
import { computeRates, validateShorelines } from './compute-rates.ts';
import { inferSeaSide } from './infer-sea-side.ts';
import type { DatedShoreline, XY } from './types.ts';

/** A gently curved coast y = f(x) + offset, sea to +y, baseline at y = −100. */
function coast(yearDecimal: number, offsetM: number, uncertaintyM = 10): DatedShoreline {
  const pts = Array.from({ length: 201 }, (_, i) => [i * 25, 30 * Math.sin(i / 30) + offsetM] as XY);
  return { date: `${yearDecimal}`, yearDecimal, pieces: [{ coordinates: pts, uncertaintyM }] };
}

const baseline: XY[] = [
  [0, -100],
  [5000, -100],
];
const transects = castTransects([baseline], { spacingM: 500, lengthM: 1000, seaSide: 'left', smoothingM: 0 });

describe('computeRates', () => {
  it('recovers a steady retreat on every transect, with forecasts', () => {
    // −1.5 m/yr from 2000 to 2020.
    const shorelines = [2000, 2004, 2009, 2013, 2020].map((t) => coast(t, -1.5 * (t - 2000)));
    const results = computeRates(shorelines, transects);
    expect(results).toHaveLength(transects.length);
    for (const r of results) {
      expect(r.stats.n).toBe(5);
      expect(r.stats.lrr!.rateMPerYr).toBeCloseTo(-1.5, 9);
      expect(r.stats.eprMPerYr).toBeCloseTo(-1.5, 9);
      expect(r.stats.rateClass).toBe('critical_erosion');
      expect(r.forecast!.points[0]!.positionM).toBeCloseTo(r.observations.at(-1)!.distanceM - 15, 6);
    }
  });

  it('gives explicit nulls with too few shorelines crossing', () => {
    const three = computeRates([coast(2000, 0), coast(2010, 10), coast(2020, 20)], transects);
    expect(three[0]!.stats.lrr!.rateMPerYr).toBeCloseTo(1, 9);
    expect(three[0]!.forecast).toBeNull();
    const two = computeRates([coast(2000, 0), coast(2010, 10)], transects);
    expect(two[0]!.stats.lrr).toBeNull();
    expect(two[0]!.stats.wlr).toBeNull();
    expect(JSON.stringify(two)).not.toMatch(/NaN/);
  });

  it('counts only the shorelines a transect crosses', () => {
    const partial = coast(2010, 10);
    const cut: DatedShoreline = {
      ...partial,
      pieces: [{ coordinates: partial.pieces[0]!.coordinates.slice(0, 50), uncertaintyM: 10 }],
    };
    const results = computeRates([coast(2000, 0), cut, coast(2020, 20)], transects);
    expect(results[0]!.stats.n).toBe(3);
    expect(results.at(-1)!.stats.n).toBe(2);
  });

  it('leaves its inputs unchanged', () => {
    const shorelines = [coast(2000, 0), coast(2010, 10)];
    const copy = structuredClone(shorelines);
    const tcopy = structuredClone(transects);
    computeRates(shorelines, transects);
    expect(shorelines).toEqual(copy);
    expect(transects).toEqual(tcopy);
  });

  it.each([
    [[coast(2000, 0)], /at least 2 shorelines/],
    [[], /at least 2 shorelines/],
    [[coast(2000, 0), coast(2000, 5)], /same date/],
    [[coast(2000, 0), coast(2010, 5, -1)], /uncertainty must be a positive number/],
  ])('rejects bad shorelines (%#)', (shorelines, message) => {
    expect(() => validateShorelines(shorelines)).toThrow(message);
    expect(() => computeRates(shorelines, transects)).toThrow(message);
  });

  it('rejects a bad confidence or intersection rule', () => {
    const s = [coast(2000, 0), coast(2010, 5)];
    expect(() => computeRates(s, transects, { confidence: 90 })).toThrow(
      /confidence must be between 0 and 1/,
    );
    // @ts-expect-error: a value from outside the type system (e.g. a config file)
    expect(() => computeRates(s, transects, { intersection: 'middle' })).toThrow(/'seaward' or 'landward'/);
  });
});

describe('inferSeaSide', () => {
  const shorelines = [coast(2000, 0), coast(2010, 10)];
  it('puts the sea on the shoreline side of an onshore baseline, and opposite for an offshore one', () => {
    expect(inferSeaSide([baseline], shorelines, 1000, 200)).toBe('left');
    const reversed = [...baseline].reverse();
    expect(inferSeaSide([reversed], shorelines, 1000, 200)).toBe('right');
    expect(inferSeaSide([baseline], shorelines, 1000, 200, 'offshore')).toBe('right');
  });

  it('refuses to guess for a mid-shore baseline or when no shoreline is near', () => {
    expect(() => inferSeaSide([baseline], shorelines, 1000, 200, 'midshore')).toThrow(/mid-shore/);
    expect(() => inferSeaSide([baseline], shorelines, 50, 200)).toThrow(/no shoreline lies within 50 m/);
  });
});
