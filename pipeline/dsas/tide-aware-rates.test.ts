import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { computeRates } from './compute-rates.ts';
import { type SceneTide, tideAwareRates } from './tide-aware-rates.ts';
import type { DatedShoreline, Transect } from './types.ts';

// A straight coast along y whose z_ref contour retreats 2 m/yr (towards +x = landward; the transect looks
// seaward, towards −x). Each waterline sits (tide − z_ref)/tanβ landward of that contour.
const slope = 0.01;
const years = [2016, 2017, 2018, 2019, 2020, 2021];
// Rising tides over the years: the raw waterline rate is far off.
const tides = [-1, 0.3, -0.4, 0.5, 0.1, 1];
const transect: Transect = { id: 1, origin: [1000, 0], dir: [-1, 0], sMinM: 0, sMaxM: 2000, baselinePart: 0 };
const shorelines: DatedShoreline[] = years.map((year, k) => {
  const contourX = 500 + 2 * (year - 2016);
  // Low tide: the water stands seaward (−x) of the contour by |tide|/tanβ.
  const x = contourX + tides[k]! / slope;
  return {
    date: `${year}-01-01`,
    yearDecimal: year,
    pieces: [
      {
        coordinates: [
          [x, -500],
          [x, 500],
        ],
        uncertaintyM: 10,
      },
    ],
  };
});
const scenes: SceneTide[] = years.map((year, k) => ({
  yearDecimal: year,
  scene: `s${year}`,
  tideHeightM: tides[k]!,
}));
const results = computeRates(shorelines, [transect]);

describe('tideAwareRates', () => {
  it('passes results through without tide handling', () => {
    const out = tideAwareRates(results, scenes, {});
    expect(out.filter).toBeNull();
    expect(out.transects[0]!.basis).toBe('raw');
    expect(out.transects[0]!.stats).toBe(results[0]!.stats);
  });

  it('recovers the true rate from tide-scattered waterlines by correction, keeping the raw rate', () => {
    const out = tideAwareRates(results, scenes, { correction: { slope, zRefM: 0 } });
    const t = out.transects[0]!;
    expect(t.basis).toBe('tide_corrected');
    expect(t.stats.lrr!.rateMPerYr).toBeCloseTo(-2, 9);
    expect(Math.abs(t.rawStats.lrr!.rateMPerYr + 2)).toBeGreaterThan(20);
    expect(t.observations[0]!.correctionM).toBeCloseTo(-100, 9);
    expect(t.observations.every((o) => o.used)).toBe(true);
  });

  it('filters by tide, with the reason on each excluded observation', () => {
    const out = tideAwareRates(results, scenes, { filterPercent: 50 });
    const t = out.transects[0]!;
    expect(t.observations.filter((o) => o.used).map((o) => o.yearDecimal)).toEqual([2017, 2018, 2019, 2020]);
    expect(t.observations[0]!.excludedReason).toMatch(/below the central 50 %/);
    expect(t.observations[5]!.excludedReason).toMatch(/above/);
    expect(t.stats.n).toBe(4);
    expect(t.rawStats.n).toBe(6);
    expect(t.basis).toBe('raw');
  });

  it('names the scenes without a tide', () => {
    const gap = scenes.map((s, k) => (k === 2 ? { ...s, tideHeightM: null } : s));
    expect(() => tideAwareRates(results, gap, { correction: { slope, zRefM: 0 } })).toThrow(
      /tide correction requested but 1 scene\(s\) have no tide height: s2018/,
    );
    expect(() => tideAwareRates(results, gap, { filterPercent: 50 })).toThrow(TidemarkError);
    expect(tideAwareRates(results, gap, {}).transects[0]!.stats.n).toBe(6);
  });

  it('rejects a bad slope and an observation without its scene', () => {
    expect(() => tideAwareRates(results, scenes, { correction: { slope: 0, zRefM: 0 } })).toThrow(/slope/);
    expect(() => tideAwareRates(results, scenes.slice(1), { correction: { slope, zRefM: 0 } })).toThrow(
      /no scene is given for the shoreline of 2016/,
    );
  });

  it('leaves its inputs unchanged', () => {
    const before = structuredClone([results, scenes]);
    tideAwareRates(results, scenes, { correction: { slope, zRefM: 0 }, filterPercent: 60 });
    expect([results, scenes]).toEqual(before);
  });
});
