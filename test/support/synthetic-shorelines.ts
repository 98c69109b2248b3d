import type { Knex } from 'knex';
import { insertShorelines, type LineFeature } from '../../store/shorelines.ts';
import { bumpDataVersion } from '../../store/sites.ts';

/** West and east ends of the synthetic coast, and its mean latitude (a Ca Mau-like stretch). */
export const SYNTHETIC_COAST = { west: 104.9, east: 105.2, lat: 8.75 } as const;

/**
 * A deterministic, wiggly east–west shoreline for `year`: ~2000 vertices (about one per 17 m, like a
 * sub-pixel contour of a 10 m scene), moved ~220 m north per year so each year's line is distinct.
 * `split` cuts it into a MultiLineString with a gap in the middle.
 */
export function syntheticShoreline(year: number, opts: { split?: boolean } = {}): LineFeature {
  const n = 2000;
  const points: number[][] = [];
  for (let i = 0; i < n; i++) {
    const lon = SYNTHETIC_COAST.west + ((SYNTHETIC_COAST.east - SYNTHETIC_COAST.west) * i) / (n - 1);
    const lat =
      SYNTHETIC_COAST.lat +
      0.002 * (year - 2016) +
      0.004 * Math.sin(lon * 210) +
      0.0008 * Math.sin(lon * 1700 + year);
    points.push([round7(lon), round7(lat)]);
  }
  if (!opts.split)
    return { type: 'Feature', geometry: { type: 'LineString', coordinates: points }, properties: { year } };
  return {
    type: 'Feature',
    geometry: { type: 'MultiLineString', coordinates: [points.slice(0, 900), points.slice(1100)] },
    properties: { year },
  };
}

/** Stores `year`'s synthetic shoreline for a site (no scene), as one transaction that bumps its data version. */
export async function storeSyntheticYear(knex: Knex, siteId: number, year: number): Promise<void> {
  await knex.transaction(async (trx) => {
    await insertShorelines(trx, {
      siteId,
      sceneId: null,
      date: `${year}-03-15`,
      features: [syntheticShoreline(year)],
    });
    await bumpDataVersion(trx, siteId);
  });
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
