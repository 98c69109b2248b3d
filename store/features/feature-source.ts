import type { Knex } from 'knex';

/**
 * One feature collection served by OGC API Features, as data: what clients may know about it (`info`) and the
 * SQL fragments the store composes its queries from (`sql`). Fragments are constants written here, never
 * request input; request values only ever reach SQL as bindings.
 */

export interface PropertyInfo {
  type: 'string' | 'integer' | 'number' | 'object';
  /** JSON Schema format of string properties: dates are 'YYYY-MM-DD', date-times RFC 3339. */
  format?: 'date' | 'date-time';
  description: string;
}

/** A property clients may filter on with `?name=value` (equality). */
export interface QueryableInfo {
  type: 'string' | 'integer';
  description: string;
  /** Allowed values of a string queryable; any other value is a bad request. */
  enum?: readonly string[];
  /** Regular expression (JSON Schema `pattern`) a string value must match. */
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export type FeatureGeometryType = 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon' | 'Geometry';

export interface FeatureCollectionInfo {
  id: string;
  title: string;
  description: string;
  /** GeoJSON geometry type of every feature; 'Geometry' when a collection mixes types. */
  geometryType: FeatureGeometryType;
  /** Every property of every feature, in output order. */
  properties: Readonly<Record<string, PropertyInfo>>;
  /** The property filters accepted on /items; each name is also a property. */
  queryables: Readonly<Record<string, QueryableInfo>>;
  /** What `datetime` filters on, for documentation. */
  temporalDescription: string;
}

/** A WHERE condition with its bound values. */
export interface SqlCondition {
  sql: string;
  bindings: Knex.Value[];
}

export interface FeatureSourceSql {
  /** FROM clause (tables, joins, derived tables). */
  from: string;
  /** Integer feature id expression; unique within the collection and the keyset paging order. */
  fid: string;
  /** EPSG:4326 geometry expression, filtered with `&&` so the GiST index is used. */
  geom: string;
  /** Property name → SQL expression; the keys are exactly `info.properties`' keys. */
  select: Readonly<Record<string, string>>;
  /**
   * The feature's time: an interval [start, end] (inclusive) of dates or timestamps. A null `end` is an
   * open end (the feature lasts from `start` on).
   */
  temporal: { start: string; end: string | null; type: 'date' | 'timestamptz' };
  /** Queryable name → condition for one (already validated) value; the keys are `info.queryables`' keys. */
  filters: Readonly<Record<string, (value: string | number) => SqlCondition>>;
}

export interface FeatureSource {
  info: FeatureCollectionInfo;
  sql: FeatureSourceSql;
}

/** The site slug filter every site-owned collection shares. */
export const SITE_QUERYABLE: QueryableInfo = {
  type: 'string',
  description: 'Site slug: only features of this site',
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 63,
};

/** `column = ?` for a queryable that is one column. */
export function equals(column: string): (value: string | number) => SqlCondition {
  return (value) => ({ sql: `${column} = ?`, bindings: [value] });
}
