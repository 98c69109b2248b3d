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

/** Every vector layer the store can render, by id. Later layers (change, transects, …) are added here. */
export const VECTOR_LAYERS: Readonly<Record<string, VectorLayerSpec>> = {
  [SHORELINES_LAYER.id]: SHORELINES_LAYER,
};

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
