import type { Database } from '../db.ts';
import { type Queryable, toQueryable } from '../queryable.ts';

/** Where a layer's data lies: [west, south, east, north] in degrees, and for dated layers its years. */
export interface LayerDataExtent {
  bounds: [number, number, number, number];
  years?: { min: number; max: number };
}

export type AnalysisLayerId = 'change' | 'transects' | 'forecasts' | 'hazard' | 'zones';

// Constant SQL per layer (a whitelist: the layer id picks one, nothing from a request is interpolated). Each
// source exposes `x.geom` and joins `sites s`.
const SOURCES: Record<AnalysisLayerId, { from: string; years?: string }> = {
  change: {
    from: 'change_polygons x JOIN sites s ON s.id = x.site_id',
    years: `min(extract(year FROM x.period_start))::integer AS min_year,
            max(extract(year FROM x.period_end))::integer AS max_year`,
  },
  transects: { from: 'transects x JOIN sites s ON s.id = x.site_id' },
  forecasts: {
    from: `(SELECT site_id, line_geom AS geom FROM forecasts
            UNION ALL SELECT site_id, band_geom FROM forecasts) x
           JOIN sites s ON s.id = x.site_id`,
  },
  hazard: { from: 'hazard_zones x JOIN sites s ON s.id = x.site_id' },
  zones: { from: 'aquaculture_zones x JOIN sites s ON s.id = x.site_id' },
};

/**
 * The extent of one analysis layer's stored geometries, of one site (by slug) or of all; for `change`, also
 * the first and last year its periods span. Null when the layer has no data there.
 */
export async function getLayerExtent(
  db: Database | Queryable,
  layer: AnalysisLayerId,
  site?: string,
): Promise<LayerDataExtent | null> {
  const source = SOURCES[layer];
  const { rows } = await toQueryable(db).raw<{
    rows: {
      west: number | null;
      south: number;
      east: number;
      north: number;
      min_year: number | null;
      max_year: number | null;
    }[];
  }>(
    `SELECT ST_XMin(y.e) AS west, ST_YMin(y.e) AS south, ST_XMax(y.e) AS east, ST_YMax(y.e) AS north,
            y.min_year, y.max_year
     FROM (SELECT ST_Extent(x.geom) AS e, ${source.years ?? 'NULL::integer AS min_year, NULL::integer AS max_year'}
           FROM ${source.from}
           WHERE x.geom IS NOT NULL ${site === undefined ? '' : 'AND s.slug = ?'}) AS y`,
    site === undefined ? [] : [site],
  );
  const row = rows[0];
  if (!row || row.west === null) return null;
  const extent: LayerDataExtent = { bounds: [row.west, row.south, row.east, row.north] };
  if (typeof row.min_year === 'number' && typeof row.max_year === 'number') {
    extent.years = { min: row.min_year, max: row.max_year };
  }
  return extent;
}
