/** Vector tile geometry: MVT extent (tile units per tile side) and buffer (units drawn beyond each edge). */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

export type TileFieldType = 'Number' | 'String' | 'Boolean';

/**
 * A vector tile layer as data: its MVT layer name, its attribute fields (exactly what each feature
 * carries, both encoders) and its zoom range. The API builds TileJSON `vector_layers` from these.
 */
export interface VectorLayerSpec {
  /** MVT layer name. */
  id: string;
  description: string;
  /** The main geometry kind (forecasts mix lines and band polygons). */
  geometry: 'point' | 'line' | 'polygon';
  minzoom: number;
  maxzoom: number;
  /** Attribute → TileJSON type. Also the whitelist of column names the tile SQL may select. */
  fields: Readonly<Record<string, TileFieldType>>;
  /** At most this many features per tile (the newest or most relevant are kept). */
  featureCap: number;
}

export const SHORELINES_LAYER: VectorLayerSpec = {
  id: 'shorelines',
  description: 'Shorelines extracted from satellite scenes, one feature per stored line, dated',
  geometry: 'line',
  minzoom: 0,
  maxzoom: 18,
  fields: {
    id: 'Number',
    site: 'String',
    scene_id: 'Number',
    date: 'String',
    year: 'Number',
    length_m: 'Number',
  },
  featureCap: 5000,
};

export const CHANGE_LAYER: VectorLayerSpec = {
  id: 'change',
  description:
    "Erosion and accretion polygons of the site's current analysis: land lost (erosion) or gained " +
    '(accretion) between two shoreline dates, for each consecutive pair of dates and over the whole record ' +
    '(period_kind total). A year filter keeps the periods that lie within it.',
  geometry: 'polygon',
  minzoom: 0,
  maxzoom: 18,
  fields: {
    id: 'Number',
    site: 'String',
    kind: 'String',
    period_start: 'String',
    period_end: 'String',
    period_kind: 'String',
    area_m2: 'Number',
  },
  featureCap: 5000,
};

export const TRANSECTS_LAYER: VectorLayerSpec = {
  id: 'transects',
  description:
    "Transects of the site's current analysis, cast from the baseline seaward, with their DSAS statistics: " +
    'rates in m/yr (positive = accretion), NSM and SCE in m, and the rate class from the LRR.',
  geometry: 'line',
  minzoom: 0,
  maxzoom: 18,
  fields: {
    id: 'Number',
    site: 'String',
    transect_no: 'Number',
    n: 'Number',
    nsm_m: 'Number',
    sce_m: 'Number',
    epr_m_yr: 'Number',
    lrr_m_yr: 'Number',
    lrr_ci_m_yr: 'Number',
    lrr_r2: 'Number',
    wlr_m_yr: 'Number',
    class: 'String',
  },
  featureCap: 10000,
};

export const FORECASTS_LAYER: VectorLayerSpec = {
  id: 'forecasts',
  description:
    'Forecast shorelines (kind line) and their ±1σ uncertainty bands (kind band), per horizon in years ' +
    'after the last shoreline date. Feature id: 2 × forecast id for the line, 2 × forecast id + 1 for the band.',
  geometry: 'line',
  minzoom: 0,
  maxzoom: 18,
  fields: {
    forecast_id: 'Number',
    site: 'String',
    kind: 'String',
    horizon_years: 'Number',
    forecast_date: 'String',
    sigma_mean_m: 'Number',
  },
  featureCap: 1000,
};

export const HAZARD_LAYER: VectorLayerSpec = {
  id: 'hazard',
  description:
    'Hazard zones: the land between the latest shoreline and the forecast shoreline (band included), ' +
    'per forecast horizon in years.',
  geometry: 'polygon',
  minzoom: 0,
  maxzoom: 18,
  fields: {
    id: 'Number',
    site: 'String',
    horizon_years: 'Number',
    forecast_date: 'String',
    area_m2: 'Number',
  },
  featureCap: 1000,
};

export const ZONES_LAYER: VectorLayerSpec = {
  id: 'zones',
  description:
    'Aquaculture zones with their latest erosion risk assessment (risk_class, distance to the shoreline, ' +
    'years to impact); zones not assessed yet have no risk_class.',
  geometry: 'polygon',
  minzoom: 0,
  maxzoom: 18,
  fields: {
    id: 'Number',
    site: 'String',
    name: 'String',
    farm_type: 'String',
    area_m2: 'Number',
    risk_class: 'String',
    distance_to_shoreline_m: 'Number',
    years_to_impact: 'Number',
  },
  featureCap: 5000,
};

/** Every vector layer the store can render, by id. */
export const VECTOR_LAYERS: Readonly<Record<string, VectorLayerSpec>> = Object.fromEntries(
  [SHORELINES_LAYER, CHANGE_LAYER, TRANSECTS_LAYER, FORECASTS_LAYER, HAZARD_LAYER, ZONES_LAYER].map((l) => [
    l.id,
    l,
  ]),
);

/** TileJSON 3.0.0 `vector_layers` entry for a layer. */
export function toTileJsonVectorLayer(layer: VectorLayerSpec): {
  id: string;
  description: string;
  minzoom: number;
  maxzoom: number;
  fields: Record<string, TileFieldType>;
} {
  return {
    id: layer.id,
    description: layer.description,
    minzoom: layer.minzoom,
    maxzoom: layer.maxzoom,
    fields: { ...layer.fields },
  };
}
