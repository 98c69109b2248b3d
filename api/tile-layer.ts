import type { Database } from '../store/db.ts';
import type { TileCoords } from './tile-params.ts';

export type QueryInput = Record<string, string | string[] | undefined>;

/** [west, south, east, north] in degrees (TileJSON `bounds`). */
export type LngLatBounds = [number, number, number, number];

export interface LayerExtent {
  bounds: LngLatBounds;
  /** First and last acquisition year in the data, for time-aware layers (drives the viewer's colour ramp). */
  years?: { min: number; max: number };
}

/**
 * One tile layer as the store and the HTTP layer see it. `F` is the layer's validated filter; every layer gets
 * the same routes (`/tiles/{id}.json`, `/tiles/{id}/{z}/{x}/{y}.mvt`), ETag/compression/caching for free.
 */
export interface TileLayerSpec<F> {
  /** URL segment and MVT layer name. */
  id: string;
  name: string;
  description: string;
  minzoom: number;
  maxzoom: number;
  /** TileJSON `vector_layers[].fields`: attribute name → type ("Number", "String", "Boolean"). */
  fields: Record<string, 'Number' | 'String' | 'Boolean'>;
  /** Validates the query string (throws a 400 TidemarkError on unknown or malformed parameters). */
  parseQuery(query: QueryInput): F;
  /** The filter as a canonical query string ("" or "?…"), appended to tile URLs and used in cache keys. */
  toQueryString(filter: F): string;
  getTile(db: Database, coords: TileCoords, filter: F): Promise<Uint8Array | null>;
  getExtent(db: Database, filter: F): Promise<LayerExtent | null>;
  /**
   * A key that changes whenever the data this filter selects changes (the tile cache is keyed by it). Throws
   * NOT_FOUND when the filter names something that does not exist (an unknown site).
   */
  dataVersion(db: Database, filter: F): Promise<string>;
}

/** A request's view of a layer: the filter already validated and bound. */
export interface BoundTileLayer {
  queryString: string;
  getTile(db: Database, coords: TileCoords): Promise<Uint8Array | null>;
  getExtent(db: Database): Promise<LayerExtent | null>;
  dataVersion(db: Database): Promise<string>;
}

export interface TileLayer {
  id: string;
  name: string;
  description: string;
  minzoom: number;
  maxzoom: number;
  fields: Record<string, 'Number' | 'String' | 'Boolean'>;
  bind(query: QueryInput): BoundTileLayer;
}

/** Erases the filter type so layers with different filters live in one registry. */
export function defineTileLayer<F>(spec: TileLayerSpec<F>): TileLayer {
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    minzoom: spec.minzoom,
    maxzoom: spec.maxzoom,
    fields: spec.fields,
    bind(query) {
      const filter = spec.parseQuery(query);
      return {
        queryString: spec.toQueryString(filter),
        getTile: (db, coords) => spec.getTile(db, coords, filter),
        getExtent: (db) => spec.getExtent(db, filter),
        dataVersion: (db) => spec.dataVersion(db, filter),
      };
    },
  };
}
