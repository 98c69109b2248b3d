import type { Knex } from 'knex';
import { TidemarkError } from '../../common/errors.ts';
import type { FeatureSourceSql, SqlCondition } from './feature-source.ts';

/** A CRS84 bounding box. `west > east` crosses the antimeridian (OGC API Features §7.15.3). */
export interface Bbox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * A closed time interval of RFC 3339 UTC instants ('…Z'); null is an open end. A feature matches when its
 * own time overlaps it; a date-valued feature time covers its whole UTC day.
 */
export interface TimeInterval {
  start: string | null;
  end: string | null;
}

export interface FeatureFilter {
  bbox?: Bbox;
  datetime?: TimeInterval;
  /** Queryable name → value (already validated against the collection's queryables). */
  properties?: Readonly<Record<string, string | number>>;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function envelope(geom: string, west: number, south: number, east: number, north: number): SqlCondition {
  // && uses the GiST index; ST_Intersects then drops features whose box, but not whose shape, overlaps.
  const env = 'ST_MakeEnvelope(?, ?, ?, ?, 4326)';
  return {
    sql: `(${geom} && ${env} AND ST_Intersects(${geom}, ${env}))`,
    bindings: [west, south, east, north, west, south, east, north],
  };
}

function bboxCondition(geom: string, bbox: Bbox): SqlCondition {
  const { west, south, east, north } = bbox;
  const values = [west, south, east, north];
  if (!values.every(Number.isFinite) || south > north) {
    throw new TidemarkError('INVALID_INPUT', `invalid bbox ${values.join(',')}`);
  }
  if (west <= east) return envelope(geom, west, south, east, north);
  const a = envelope(geom, west, south, 180, north);
  const b = envelope(geom, -180, south, east, north);
  return { sql: `(${a.sql} OR ${b.sql})`, bindings: [...a.bindings, ...b.bindings] };
}

function timeConditions(temporal: FeatureSourceSql['temporal'], interval: TimeInterval): SqlCondition[] {
  for (const instant of [interval.start, interval.end]) {
    if (instant !== null && !INSTANT.test(instant)) {
      throw new TidemarkError('INVALID_INPUT', `invalid instant '${instant}': expected RFC 3339 UTC`);
    }
  }
  // Dates compare with the instants' UTC dates: the day [D, D+1) overlaps [start, end] iff
  // date(start) <= D <= date(end).
  const cast = temporal.type === 'date' ? '?::date' : '?::timestamptz';
  const value = (instant: string) => (temporal.type === 'date' ? instant.slice(0, 10) : instant);
  // Features without a time (e.g. a transect with no positions) never match a datetime filter.
  const conditions: SqlCondition[] = [{ sql: `${temporal.start} IS NOT NULL`, bindings: [] }];
  // An open-ended feature time (end null) reaches every later instant, so only its start is compared.
  if (interval.start !== null && temporal.end !== null) {
    conditions.push({ sql: `${temporal.end} >= ${cast}`, bindings: [value(interval.start)] });
  }
  if (interval.end !== null) {
    conditions.push({ sql: `${temporal.start} <= ${cast}`, bindings: [value(interval.end)] });
  }
  return conditions;
}

/**
 * The WHERE condition of a feature query on one source: bbox, datetime and property filters ANDed, every
 * value bound. Property names must be queryables of the source (others are refused, never interpolated).
 */
export function featureFilterSql(source: FeatureSourceSql, filter: FeatureFilter): SqlCondition {
  const parts: SqlCondition[] = [];
  if (filter.bbox !== undefined) parts.push(bboxCondition(source.geom, filter.bbox));
  if (filter.datetime !== undefined) parts.push(...timeConditions(source.temporal, filter.datetime));
  for (const [name, value] of Object.entries(filter.properties ?? {})) {
    const condition = Object.hasOwn(source.filters, name) ? source.filters[name] : undefined;
    if (condition === undefined) {
      throw new TidemarkError('INVALID_INPUT', `'${name}' is not a queryable property`);
    }
    parts.push(condition(value));
  }
  if (parts.length === 0) return { sql: 'TRUE', bindings: [] };
  return {
    sql: parts.map((p) => p.sql).join(' AND '),
    bindings: parts.flatMap((p): Knex.Value[] => p.bindings),
  };
}
