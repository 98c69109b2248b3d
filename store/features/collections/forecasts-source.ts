import { equals, type FeatureSource, SITE_QUERYABLE } from '../feature-source.ts';

// A forecast row holds two geometries; each becomes its own feature. Feature ids stay integers and stable:
// 2 × forecast id for the line, 2 × forecast id + 1 for its band. The && filter is pushed into each branch
// of the UNION ALL, where each geometry column has its own GiST index.
const FORECAST_FEATURES = `(
  SELECT f.id::bigint * 2 AS fid, f.id AS forecast_id, 'line'::text AS kind, f.site_id, f.horizon_years,
         f.forecast_date, f.sigma_mean_m, f.line_geom::geometry AS geom
  FROM forecasts f WHERE f.line_geom IS NOT NULL
  UNION ALL
  SELECT f.id::bigint * 2 + 1, f.id, 'band'::text, f.site_id, f.horizon_years,
         f.forecast_date, f.sigma_mean_m, f.band_geom::geometry
  FROM forecasts f WHERE f.band_geom IS NOT NULL
) fc JOIN sites s ON s.id = fc.site_id`;

/** Forecast shorelines and their ±1σ uncertainty bands, per horizon. */
export const forecastsSource: FeatureSource = {
  info: {
    id: 'forecasts',
    title: 'Shoreline forecasts',
    description:
      'Forecast shorelines from the LRR of every transect (kind=line) and their ±1σ uncertainty bands ' +
      '(kind=band), per horizon. Feature id = 2 × forecast id (line) or 2 × forecast id + 1 (band).',
    geometryType: 'Geometry',
    properties: {
      site: { type: 'string', description: 'Site slug' },
      kind: { type: 'string', description: 'line (MultiLineString) or band (MultiPolygon, ±1σ)' },
      forecast_id: { type: 'integer', description: 'Forecast the line or band belongs to' },
      horizon_years: { type: 'integer', description: 'Years after the last shoreline date' },
      forecast_date: { type: 'string', format: 'date', description: 'Date the forecast is for' },
      sigma_mean_m: { type: 'number', description: 'Mean 1σ along the forecast line (m)' },
    },
    queryables: {
      site: SITE_QUERYABLE,
      kind: { type: 'string', description: 'line or band', enum: ['line', 'band'] },
      horizon_years: { type: 'integer', description: 'Forecast horizon (years)', minimum: 1, maximum: 1000 },
    },
    temporalDescription: 'the forecast date',
  },
  sql: {
    from: FORECAST_FEATURES,
    fid: 'fc.fid',
    geom: 'fc.geom',
    select: {
      site: 's.slug',
      kind: 'fc.kind',
      forecast_id: 'fc.forecast_id',
      horizon_years: 'fc.horizon_years',
      forecast_date: 'fc.forecast_date',
      sigma_mean_m: 'fc.sigma_mean_m',
    },
    temporal: { start: 'fc.forecast_date', end: 'fc.forecast_date', type: 'date' },
    filters: {
      site: equals('s.slug'),
      kind: equals('fc.kind'),
      horizon_years: equals('fc.horizon_years'),
    },
  },
};
