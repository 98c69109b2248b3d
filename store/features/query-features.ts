import type { Knex } from 'knex';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../db.ts';
import { type Queryable, toQueryable } from '../queryable.ts';
import { type FeatureFilter, featureFilterSql } from './feature-filter-sql.ts';
import type { FeatureSource, SqlCondition } from './feature-source.ts';
import { requireFeatureSource } from './feature-sources.ts';

/** The most features one page may hold: a page is built in memory, and shorelines are large. */
export const FEATURE_PAGE_MAX = 1000;

/** Coordinates beyond 8 decimals (about 1 mm) only add bytes: shorelines are accurate to decimetres. */
const COORDINATE_DECIMALS = 8;

export interface FeatureRecord {
  id: number;
  /** GeoJSON geometry in CRS84 (longitude, latitude); null when the feature has none. */
  geometry: { type: string; coordinates?: unknown; geometries?: unknown } | null;
  properties: Record<string, unknown>;
}

export interface FeaturePageQuery extends FeatureFilter {
  limit: number;
  /** Keyset cursor: features with an id greater than this (the next page). */
  after?: number;
  /** Keyset cursor: the features with ids just below this (the previous page). */
  before?: number;
}

export interface FeaturePage {
  /** Ordered by id. */
  features: FeatureRecord[];
  /** Features matching the filter, on every page. */
  numberMatched: number;
  /** Cursor of the page after this one, or null on the last page. */
  next: { after: number } | null;
  /** Cursor of the page before this one, or null on the first page. */
  prev: { before: number } | null;
}

type Row = { fid: number; geometry: FeatureRecord['geometry'] } & Record<string, unknown>;

function selectSql(source: FeatureSource): SqlCondition {
  const { sql } = source;
  const names = Object.keys(sql.select);
  const columns = names.map((name) => `${sql.select[name]} AS ??`);
  return {
    sql: `${sql.fid} AS fid, ST_AsGeoJSON(${sql.geom}, ${COORDINATE_DECIMALS})::json AS geometry, ${columns.join(', ')}`,
    bindings: names,
  };
}

function toRecord(source: FeatureSource, row: Row): FeatureRecord {
  const properties: Record<string, unknown> = {};
  for (const name of Object.keys(source.sql.select)) {
    const value = row[name];
    properties[name] = value instanceof Date ? value.toISOString() : value;
  }
  return { id: row.fid, geometry: row.geometry ?? null, properties };
}

function checkCursor(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new TidemarkError('INVALID_INPUT', `${name} must be a non-negative integer feature id`);
  }
}

function checkPageQuery(query: FeaturePageQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > FEATURE_PAGE_MAX) {
    throw new TidemarkError('INVALID_INPUT', `limit must be an integer from 1 to ${FEATURE_PAGE_MAX}`);
  }
  checkCursor('after', query.after);
  checkCursor('before', query.before);
  if (query.after !== undefined && query.before !== undefined) {
    throw new TidemarkError('INVALID_INPUT', 'give at most one of after and before');
  }
}

/** Runs `work` in one read-only snapshot, so the count and the page agree even while an analysis commits. */
async function inSnapshot<T>(db: Queryable, work: (q: Queryable) => Promise<T>): Promise<T> {
  if ((db as Knex.Transaction).isTransaction === true) return work(db);
  return (db as Knex).transaction((trx) => work(trx), { isolationLevel: 'repeatable read', readOnly: true });
}

/**
 * One page of a collection's features matching the filter, ordered by id, with keyset cursors to the pages
 * before and after it and the number of features matched overall. Unknown collection → NOT_FOUND.
 */
export async function queryFeatures(
  db: Database | Queryable,
  collectionId: string,
  query: FeaturePageQuery,
): Promise<FeaturePage> {
  const source = requireFeatureSource(collectionId);
  checkPageQuery(query);
  const where = featureFilterSql(source.sql, query);
  const { fid, from } = source.sql;
  const select = selectSql(source);
  const base = `FROM ${from} WHERE ${where.sql}`;

  return inSnapshot(toQueryable(db), async (q) => {
    /** The matching feature id nearest to a cursor on one side of it (`max` below, `min` above), or null. */
    const nearest = async (side: 'max' | 'min', condition: string, id: number): Promise<number | null> => {
      const { rows } = await q.raw<{ rows: { id: string | number | null }[] }>(
        `SELECT ${side}(${fid}) AS id ${base} AND ${fid} ${condition} ?::bigint`,
        [...where.bindings, id],
      );
      const found = rows[0]?.id;
      return found === null || found === undefined ? null : Number(found);
    };
    const { rows: counted } = await q.raw<{ rows: { n: number }[] }>(
      `SELECT count(*)::integer AS n ${base}`,
      where.bindings,
    );
    const numberMatched = counted[0]?.n ?? 0;

    let rows: Row[];
    let hasNext: boolean;
    let hasPrev: boolean;
    // Beyond the page: the nearest matching id past its cursor, to link an empty page to its neighbour.
    let nextBeyond: number | null = null;
    let prevBeyond: number | null = null;
    if (query.before !== undefined) {
      const result = await q.raw<{ rows: Row[] }>(
        `SELECT ${select.sql} ${base} AND ${fid} < ?::bigint ORDER BY ${fid} DESC LIMIT ?`,
        [...select.bindings, ...where.bindings, query.before, query.limit + 1],
      );
      hasPrev = result.rows.length > query.limit;
      rows = result.rows.slice(0, query.limit).reverse();
      nextBeyond = await nearest('min', '>=', query.before);
      hasNext = nextBeyond !== null;
    } else {
      const after = query.after === undefined ? '' : ` AND ${fid} > ?::bigint`;
      const result = await q.raw<{ rows: Row[] }>(
        `SELECT ${select.sql} ${base}${after} ORDER BY ${fid} ASC LIMIT ?`,
        [
          ...select.bindings,
          ...where.bindings,
          ...(query.after === undefined ? [] : [query.after]),
          query.limit + 1,
        ],
      );
      hasNext = result.rows.length > query.limit;
      rows = result.rows.slice(0, query.limit);
      prevBeyond = query.after === undefined ? null : await nearest('max', '<=', query.after);
      hasPrev = prevBeyond !== null;
    }

    const features = rows.map((row) => toRecord(source, row));
    const firstId = features[0]?.id;
    const lastId = features[features.length - 1]?.id;
    // An empty page (a cursor past the end) still links back to where the features are: to just past the
    // nearest one, not to the cursor ± 1, which past the largest id would be no id at all.
    const nextAfter = lastId ?? (nextBeyond !== null ? nextBeyond - 1 : undefined);
    const prevBefore = firstId ?? (prevBeyond !== null ? prevBeyond + 1 : undefined);
    return {
      features,
      numberMatched,
      next: hasNext && nextAfter !== undefined ? { after: nextAfter } : null,
      prev: hasPrev && prevBefore !== undefined ? { before: prevBefore } : null,
    };
  });
}

/** One feature by id, or null when the collection has no such feature. Unknown collection → NOT_FOUND. */
export async function getFeature(
  db: Database | Queryable,
  collectionId: string,
  featureId: number,
): Promise<FeatureRecord | null> {
  const source = requireFeatureSource(collectionId);
  if (!Number.isSafeInteger(featureId)) return null;
  const select = selectSql(source);
  const { rows } = await toQueryable(db).raw<{ rows: Row[] }>(
    `SELECT ${select.sql} FROM ${source.sql.from} WHERE ${source.sql.fid} = ?::bigint`,
    [...select.bindings, featureId],
  );
  const row = rows[0];
  return row === undefined ? null : toRecord(source, row);
}
