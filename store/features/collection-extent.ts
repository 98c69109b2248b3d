import type { Database } from '../db.ts';
import { type Queryable, toQueryable } from '../queryable.ts';
import { requireFeatureSource } from './feature-sources.ts';

/** A collection's extent over all its features, as OGC API collection metadata states it. */
export interface CollectionExtent {
  /** CRS84 [west, south, east, north]; null when the collection has no geometry. */
  bbox: [number, number, number, number] | null;
  /** RFC 3339 [first, last]; a null end is open (features that last from their start on). Null: no times. */
  interval: [string, string | null] | null;
}

interface ExtentRow {
  west: number | null;
  south: number | null;
  east: number | null;
  north: number | null;
  first: string | Date | null;
  last: string | Date | null;
}

function toInstant(value: string | Date): string {
  // Dates are UTC calendar days: the interval starts at the first day's midnight.
  return value instanceof Date ? value.toISOString() : `${value}T00:00:00Z`;
}

/** The spatial and temporal extent of a collection's features. Unknown collection → NOT_FOUND. */
export async function getCollectionExtent(
  db: Database | Queryable,
  collectionId: string,
): Promise<CollectionExtent> {
  const { sql } = requireFeatureSource(collectionId);
  const last = sql.temporal.end ?? sql.temporal.start;
  const { rows } = await toQueryable(db).raw<{ rows: ExtentRow[] }>(
    `SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north, first, last
     FROM (SELECT ST_Extent(${sql.geom}) AS e, min(${sql.temporal.start}) AS first, max(${last}) AS last
           FROM ${sql.from}) q`,
  );
  const row = rows[0];
  const bbox: CollectionExtent['bbox'] =
    row && row.west !== null && row.south !== null && row.east !== null && row.north !== null
      ? [row.west, row.south, row.east, row.north]
      : null;
  let interval: CollectionExtent['interval'] = null;
  if (row?.first != null) {
    const end = sql.temporal.end === null || row.last === null ? null : toInstant(row.last);
    interval = [toInstant(row.first), end];
  }
  return { bbox, interval };
}
