/**
 * Every colour the map draws that is not a data ramp (year-ramp.ts, lrr-ramp.ts), in one place so the
 * legend shows exactly what the map draws.
 */

/** Neutral, cool "sea and unknown" background: no basemap tiles, glyphs or sprites are fetched. */
export const BACKGROUND_COLOR = '#dfe5ea';
/** The offline land layer: the sites' areas (their outlines, from our own data), a warm paper tone. */
export const SITE_AREA_COLOR = '#f5f2eb';
export const SITE_OUTLINE_COLOR = '#1f2937';

/** Change polygons: the conventional erosion red and accretion green (their opacity gives the period). */
export const EROSION_COLOR = '#d7301f';
export const ACCRETION_COLOR = '#1a9850';

export const FORECAST_COLOR = '#6a3d9a';
/** Forecasts up to this horizon are solid lines; farther ones dashed. */
export const NEAR_HORIZON_YEARS = 10;
export const FORECAST_FAR_DASH: [number, number] = [3, 2];
export const FORECAST_BAND_OPACITY = 0.18;

export const HAZARD_COLOR = '#f28e2b';
export const HAZARD_OUTLINE_COLOR = '#b45309';
export const HAZARD_NEAR_OPACITY = 0.38;
export const HAZARD_FAR_OPACITY = 0.18;

/** Aquaculture zones by risk class; any other class gets OTHER, a zone not assessed yet gets NOT_ASSESSED. */
export const ZONE_RISK_COLORS: readonly { riskClass: string; label: string; color: string }[] = [
  { riskClass: 'high', label: 'High risk', color: '#b10026' },
  { riskClass: 'medium', label: 'Medium risk', color: '#fd8d3c' },
  { riskClass: 'low', label: 'Low risk', color: '#fed976' },
];
export const ZONE_OTHER_RISK_COLOR = '#8c6bb1';
export const ZONE_NOT_ASSESSED_COLOR = '#ffffff';
export const ZONE_OUTLINE_COLOR = '#374151';

/** The selected transect or zone. */
export const SELECTION_COLOR = '#111827';
