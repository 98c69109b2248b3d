import type { Knex } from 'knex';
import { simplifyToleranceM, tileEnvelopeSql } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { TILE_BUFFER, TILE_EXTENT } from './vector-layers.ts';

/** A piece of SQL with its bound values, in order. */
export interface SqlFragment {
  sql: string;
  bindings: Knex.Value[];
}

// Pre-clip geometry a little beyond the MVT buffer (in the native SRID), so that simplification never moves
// a vertex that ends up inside the buffered tile.
const PRECLIP_MARGIN = (2 * TILE_BUFFER) / TILE_EXTENT;

/**
 * `column && <the buffered tile in EPSG:4326>`: the condition that lets the GiST index pick the rows.
 * `column` is a constant of our code (a qualified column name), never request input.
 */
export function tileOverlapSql(column: string, tile: TileCoords): SqlFragment {
  const env = tileEnvelopeSql(tile, TILE_BUFFER / TILE_EXTENT);
  return { sql: `${column} && ${env.sql}`, bindings: env.bindings };
}

/**
 * The column's geometry ready for ST_AsMVTGeom: cut to the tile's neighbourhood (so a coast-long line or
 * polygon is not transformed whole at street level), in EPSG:3857, simplified for the zoom.
 */
export function tileGeometrySql(column: string, tile: TileCoords): SqlFragment {
  const env = tileEnvelopeSql(tile, PRECLIP_MARGIN);
  return {
    sql: `ST_Simplify(ST_Transform(ST_ClipByBox2D(${column}, ${env.sql}), 3857), ?)`,
    bindings: [...env.bindings, simplifyToleranceM(tile.z)],
  };
}

/** `AND`s the fragments (at least one). */
export function allOf(conditions: readonly SqlFragment[]): SqlFragment {
  return {
    sql: conditions.map((c) => `(${c.sql})`).join(' AND '),
    bindings: conditions.flatMap((c) => c.bindings),
  };
}

/** `s.slug = ?` when the filter names a site (the query joins `sites s`). */
export function siteCondition(site: string | undefined): SqlFragment[] {
  return site === undefined ? [] : [{ sql: 's.slug = ?', bindings: [site] }];
}
