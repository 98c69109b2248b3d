import { equals, type FeatureSource, SITE_QUERYABLE } from '../feature-source.ts';

/** Hazard zones: land between the latest shoreline and each forecast shoreline, band included. */
export const hazardSource: FeatureSource = {
  info: {
    id: 'hazard',
    title: 'Erosion hazard zones',
    description:
      'Land between the latest shoreline and the forecast shoreline of each horizon, uncertainty band ' +
      "included: what may be lost by the forecast date. From each site's current analysis.",
    geometryType: 'MultiPolygon',
    properties: {
      site: { type: 'string', description: 'Site slug' },
      horizon_years: { type: 'integer', description: 'Years after the last shoreline date' },
      forecast_id: { type: 'integer', description: 'Forecast the zone derives from' },
      date_from: { type: 'string', format: 'date', description: 'Last shoreline date of the analysis' },
      forecast_date: { type: 'string', format: 'date', description: 'Date of the forecast' },
      area_m2: { type: 'number', description: "Area in m², measured in the site's metric CRS" },
    },
    queryables: {
      site: SITE_QUERYABLE,
      horizon_years: { type: 'integer', description: 'Forecast horizon (years)', minimum: 1, maximum: 1000 },
    },
    temporalDescription: 'the period from the last shoreline date to the forecast date',
  },
  sql: {
    from:
      'hazard_zones h JOIN sites s ON s.id = h.site_id JOIN analyses a ON a.id = h.analysis_id ' +
      'LEFT JOIN forecasts f ON f.id = h.forecast_id',
    fid: 'h.id',
    geom: 'h.geom',
    select: {
      site: 's.slug',
      horizon_years: 'h.horizon_years',
      forecast_id: 'h.forecast_id',
      date_from: 'a.date_last',
      forecast_date: 'f.forecast_date',
      area_m2: 'h.area_m2',
    },
    temporal: { start: 'a.date_last', end: 'f.forecast_date', type: 'date' },
    filters: {
      site: equals('s.slug'),
      horizon_years: equals('h.horizon_years'),
    },
  },
};
