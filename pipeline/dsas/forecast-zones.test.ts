import { kinks, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { TransectResult } from './compute-rates.ts';
import { forecastZones } from './forecast-zones.ts';
import { type PolygonXY, planarAreaM2 } from './polygon-ops.ts';
import { computeTransectStats } from './transect-stats.ts';

/**
 * Transects every 50 m along x, pointing +y (seaward), with the latest shoreline at `latest[i]` and the
 * forecast at `forecast[i]` ± `sigma` (null: no forecast).
 */
function results(latest: number[], forecast: (number | null)[], sigma = 5): TransectResult[] {
  return latest.map((d, i) => {
    const observations = [
      { yearDecimal: 2000, distanceM: d + 10, uncertaintyM: 10 },
      { yearDecimal: 2020, distanceM: d, uncertaintyM: 10 },
    ];
    const f = forecast[i];
    return {
      transect: { id: i + 1, origin: [i * 50, 0], dir: [0, 1], sMinM: 0, sMaxM: 1000, baselinePart: 0 },
      observations,
      stats: computeTransectStats(observations, 0.9),
      forecast:
        f === null || f === undefined
          ? null
          : { rateMPerYr: -1, points: [{ horizonYr: 10, year: 2030, positionM: f, sigmaM: sigma }] },
    };
  });
}

function valid(p: PolygonXY): boolean {
  return kinks(polygon(p.map((r) => r.map((q) => [q[0], q[1]])))).features.length === 0;
}

describe('forecastZones', () => {
  it('breaks the line where converging transects cross before the forecast, instead of folding it back', () => {
    // Six transects 50 m apart; the last three lean more and more towards the first ones (a concave end of
    // coast), so their rays cross their neighbours' about 1 km out. Every forecast lies 1.5 km out.
    const tilts = [0, 0, 0, -3, -6, -9];
    const base = results(
      tilts.map(() => 200),
      tilts.map(() => 1500),
    );
    const converging = base.map((r, i) => {
      const a = (tilts[i]! * Math.PI) / 180;
      return { ...r, transect: { ...r.transect, dir: [Math.sin(a), Math.cos(a)] as [number, number] } };
    });
    const z = forecastZones(converging, 10);
    // Transects 3 and 4 cross (and so do 4–5 and 5–6): only 1 and 2 keep an orderly forecast.
    expect(z.lines).toEqual([
      [
        [0, 1500],
        [50, 1500],
      ],
    ]);
    // Parallel transects with the same forecasts keep them all.
    expect(forecastZones(base, 10).lines[0]).toHaveLength(6);
  });

  it('draws the forecast line and a ±1σ band of the hand-computed area', () => {
    const z = forecastZones(results([200, 200, 200, 200], [190, 180, 180, 190]), 10);
    expect(z.lines).toEqual([
      [
        [0, 190],
        [50, 180],
        [100, 180],
        [150, 190],
      ],
    ]);
    // A 10 m wide band over 150 m of coast.
    expect(planarAreaM2(z.band)).toBeCloseTo(1500, 6);
    expect(z.band.every(valid)).toBe(true);
  });

  it('makes the hazard zone from the latest shoreline to forecast − σ', () => {
    // Latest shoreline at 200; landward band edge at 185, 175, 175, 185 → widths 15, 25, 25, 15 m.
    const z = forecastZones(results([200, 200, 200, 200], [190, 180, 180, 190]), 10);
    expect(planarAreaM2(z.hazard)).toBeCloseTo((50 * (15 + 25)) / 2 + 50 * 25 + (50 * (25 + 15)) / 2, 6);
    expect(z.hazard.every(valid)).toBe(true);
  });

  it('has no hazard where the coast advances, and tapers into it where it starts', () => {
    // Forecast − σ at 215, 215, 185, 215: only the third transect is landward of the shoreline (200).
    const z = forecastZones(results([200, 200, 200, 200], [220, 220, 190, 220]), 10);
    // A diamond: 15 m deep at x = 100, tapering to zero at x = 50 and x = 150.
    expect(planarAreaM2(z.hazard)).toBeCloseTo(0.5 * 100 * 15, 6);
    const none = forecastZones(results([200, 200], [220, 230]), 10);
    expect(none.hazard).toEqual([]);
    expect(none.lines).toHaveLength(1);
  });

  it('breaks lines at transects without a forecast and at baseline parts', () => {
    const r = results([200, 200, 200, 200, 200, 200], [190, 190, null, 190, 190, 190]);
    const z = forecastZones(r, 10);
    expect(z.lines.map((l) => l.length)).toEqual([2, 3]);
    const parts = r.map((x, i) => ({ ...x, transect: { ...x.transect, baselinePart: i < 4 ? 0 : 1 } }));
    expect(forecastZones(parts, 10).lines.map((l) => l.length)).toEqual([2, 2]);
    // A horizon nobody forecast gives nothing.
    expect(forecastZones(r, 20)).toEqual({ horizonYr: 20, lines: [], band: [], hazard: [] });
  });

  it('leaves its input unchanged', () => {
    const r = results([200, 200, 200], [190, 180, 190]);
    const copy = structuredClone(r);
    forecastZones(r, 10);
    expect(r).toEqual(copy);
  });
});
