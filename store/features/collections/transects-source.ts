import { TRANSECT_STAT_COLUMNS } from '../../analysis.ts';
import { equals, type FeatureSource, type PropertyInfo, SITE_QUERYABLE } from '../feature-source.ts';

const STAT_INFO: Record<(typeof TRANSECT_STAT_COLUMNS)[number], PropertyInfo> = {
  n: { type: 'integer', description: 'Number of shoreline positions on the transect' },
  date_first: { type: 'string', format: 'date', description: 'Date of the first position' },
  date_last: { type: 'string', format: 'date', description: 'Date of the last position' },
  nsm_m: { type: 'number', description: 'Net Shoreline Movement, last minus first (m)' },
  sce_m: { type: 'number', description: 'Shoreline Change Envelope (m)' },
  epr_m_yr: { type: 'number', description: 'End Point Rate (m/yr; positive = accretion)' },
  epr_unc_m_yr: { type: 'number', description: 'End Point Rate uncertainty (m/yr)' },
  lrr_m_yr: { type: 'number', description: 'Linear Regression Rate (m/yr; positive = accretion)' },
  lrr_intercept_m: { type: 'number', description: 'LRR intercept: distance at decimal year 0 (m)' },
  lrr_r2: { type: 'number', description: 'LRR coefficient of determination' },
  lrr_se_m: { type: 'number', description: 'LRR standard error of the estimate (m)' },
  lrr_ci_m_yr: { type: 'number', description: 'LRR confidence interval half-width (m/yr)' },
  wlr_m_yr: { type: 'number', description: 'Weighted Linear Regression rate (m/yr)' },
  wlr_intercept_m: { type: 'number', description: 'WLR intercept (m)' },
  wlr_r2: { type: 'number', description: 'WLR coefficient of determination' },
  wlr_se_m: { type: 'number', description: 'WLR standard error of the estimate (m)' },
  wlr_ci_m_yr: { type: 'number', description: 'WLR confidence interval half-width (m/yr)' },
  confidence_pct: { type: 'number', description: 'Confidence level of the intervals (%)' },
  rate_class: {
    type: 'string',
    description: 'Rate class from the LRR: critical_erosion, erosion, stable or accretion',
  },
  forecast_10y_m: { type: 'number', description: 'Forecast distance 10 years after the last date (m)' },
  forecast_10y_sigma_m: { type: 'number', description: '1σ of the 10-year forecast (m)' },
  forecast_20y_m: { type: 'number', description: 'Forecast distance 20 years after the last date (m)' },
  forecast_20y_sigma_m: { type: 'number', description: '1σ of the 20-year forecast (m)' },
};

const statSelect: Record<string, string> = {};
for (const column of TRANSECT_STAT_COLUMNS) statSelect[column] = `ts.${column}`;

/** Transects of each site's current analysis, with their DSAS statistics as properties. */
export const transectsSource: FeatureSource = {
  info: {
    id: 'transects',
    title: 'Transects',
    description:
      "Transects of each site's current analysis, cast from the baseline seaward, with their DSAS " +
      'statistics (NSM, SCE, EPR, LRR, WLR, rate class and forecasts) as properties.',
    geometryType: 'LineString',
    properties: {
      site: { type: 'string', description: 'Site slug' },
      transect_no: { type: 'integer', description: 'Order along the baseline (DSAS TransectID)' },
      length_m: { type: 'number', description: 'Transect length (m)' },
      azimuth_deg: { type: 'number', description: 'Azimuth from the baseline seaward (degrees)' },
      ...STAT_INFO,
    },
    queryables: {
      site: SITE_QUERYABLE,
      transect_no: { type: 'integer', description: 'Transect number', minimum: 0, maximum: 2147483647 },
      rate_class: {
        type: 'string',
        description: 'Rate class',
        enum: ['critical_erosion', 'erosion', 'stable', 'accretion'],
      },
    },
    temporalDescription: 'the period from the first to the last shoreline position on the transect',
  },
  sql: {
    from:
      'transects t JOIN sites s ON s.id = t.site_id ' +
      'LEFT JOIN transect_stats ts ON ts.transect_id = t.id',
    fid: 't.id',
    geom: 't.geom',
    select: {
      site: 's.slug',
      transect_no: 't.transect_no',
      length_m: 't.length_m',
      azimuth_deg: 't.azimuth_deg',
      ...statSelect,
    },
    temporal: { start: 'ts.date_first', end: 'ts.date_last', type: 'date' },
    filters: {
      site: equals('s.slug'),
      transect_no: equals('t.transect_no'),
      rate_class: equals('ts.rate_class'),
    },
  },
};
