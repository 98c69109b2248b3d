import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../db.ts';
import { encodeMvt, type Geometry3857, type TileFeature3857, type TilePropertyValue } from './encode-mvt.ts';
import { type TileCoords, tileUnitM, validateTileCoords } from './tile-coords.ts';
import { TILE_BUFFER, TILE_EXTENT, type VectorLayerSpec } from './vector-layers.ts';

/** 'auto' picks ST_AsMVT when the database has it (capabilities.mvt), else the JS encoder. */
export type TileEncoder = 'auto' | 'postgis' | 'js';

/**
 * One layer's features for one tile. `sql` is a SELECT yielding `fid` (integer feature id), one column per
 * field of `layer.fields` (named exactly so), and `geom` in EPSG:3857, already filtered to the tile's
 * neighbourhood by an index-using `&&` and simplified for the zoom (see tileEnvelopeSql, simplifyToleranceM).
 * Every value in it is bound.
 */
export interface TileLayerQuery {
  layer: VectorLayerSpec;
  sql: string;
  bindings: readonly Knex.Value[];
}

/** ST_Simplify tolerance for a zoom: half a tile unit, so simplification plus snapping stay within one unit. */
export function simplifyToleranceM(z: number): number {
  return tileUnitM(z, TILE_EXTENT) / 2;
}

/**
 * SQL for the tile's envelope (grown by `marginFraction` of a tile side) in a layer's native SRID, for the
 * `geom && …` index filter and for pre-clipping. The envelope is first cut to the Web Mercator square:
 * beyond it, a margin would wrap round the antimeridian when transformed and miss the tile entirely.
 */
export function tileEnvelopeSql(
  tile: TileCoords,
  marginFraction: number,
  srid = 4326,
): { sql: string; bindings: Knex.Value[] } {
  return {
    sql: 'ST_Transform(ST_ClipByBox2D(ST_TileEnvelope(?, ?, ?, margin => ?), ST_TileEnvelope(0, 0, 0)), ?::integer)',
    bindings: [tile.z, tile.x, tile.y, marginFraction, srid],
  };
}

/**
 * Renders one vector tile from one or more layer queries, with ST_AsMVT when the database supports it and
 * with the JS encoder otherwise; both give the same features. Returns the uncompressed MVT as a Buffer, or
 * null for an empty tile.
 */
export async function renderVectorTile(
  db: Database,
  tile: TileCoords,
  queries: readonly TileLayerQuery[],
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  validateTileCoords(tile);
  const encoder = opts.encoder ?? 'auto';
  if (encoder === 'postgis' && !db.capabilities.mvt) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `this database's PostGIS (${db.capabilities.postgis}) has no ST_AsMVT`,
    );
  }
  const usePostgis = encoder === 'postgis' || (encoder === 'auto' && db.capabilities.mvt);
  return usePostgis ? renderWithPostgis(db, tile, queries) : renderWithJs(db, tile, queries);
}

/** The layer's field columns of the subquery `f`, quoted (names come from the layer spec, a whitelist). */
function fieldColumns(layer: VectorLayerSpec): string {
  return Object.keys(layer.fields)
    .map((n) => `f.${pg.escapeIdentifier(n)}`)
    .join(', ');
}

// knex's `?` placeholders become pg's `$n` once per distinct statement text (a handful per layer and filter
// shape), which also names the statement; the values are sent as they are, as knex does for pg.
const nativeSql = new Map<string, { text: string; name: string }>();
const NATIVE_SQL_LIMIT = 512;

/**
 * Runs one tile statement on a connection of knex's pool, without knex's query builder and runner: on the
 * uncached tile path those cost more CPU than pg itself. On a server the statement is prepared (named) once
 * per connection, so PostgreSQL plans each tile query shape once instead of for every tile: planning is about
 * half the database time of a typical tile (bench:tiles). Only the shape is fixed; every value stays bound.
 */
async function queryRows<R>(db: Database, sql: string, bindings: readonly Knex.Value[]): Promise<R[]> {
  const client = db.knex.client as PgClientAccess;
  let statement = nativeSql.get(sql);
  if (statement === undefined) {
    const text = client.positionBindings(sql);
    statement = { text, name: `tidemark_tile_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
    if (nativeSql.size >= NATIVE_SQL_LIMIT) nativeSql.clear();
    nativeSql.set(sql, statement);
  }
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({
      text: statement.text,
      values: bindings as unknown[],
      // The embedded database is one session that every request shares: keep its protocol use plain.
      ...(db.mode === 'server' ? { name: statement.name } : {}),
    });
    return result.rows as R[];
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The part of knex's pg client used by queryRows (knex 3: Client#acquireConnection, releaseConnection). */
interface PgClientAccess {
  positionBindings(sql: string): string;
  acquireConnection(): Promise<pg.ClientBase>;
  releaseConnection(connection: pg.ClientBase): Promise<unknown>;
}

/**
 * The ST_AsMVT statement for one layer of one tile, as renderVectorTile runs it on the PostGIS path: one row,
 * `tile` (bytea, empty when no feature). Exposed so the tile benchmark can run the very same SQL directly.
 */
export function vectorTileSql(tile: TileCoords, q: TileLayerQuery): { sql: string; bindings: Knex.Value[] } {
  return {
    sql: `SELECT ST_AsMVT(t, ?::text, ?::integer, 'geom', 'fid') AS tile
       FROM (
         SELECT f.fid, ${fieldColumns(q.layer)},
                ST_AsMVTGeom(f.geom, ST_TileEnvelope(?, ?, ?), ?::integer, ?::integer, true) AS geom
         FROM (${q.sql}) AS f
       ) AS t
       WHERE t.geom IS NOT NULL`,
    bindings: [q.layer.id, TILE_EXTENT, tile.z, tile.x, tile.y, TILE_EXTENT, TILE_BUFFER, ...q.bindings],
  };
}

async function renderWithPostgis(
  db: Database,
  tile: TileCoords,
  queries: readonly TileLayerQuery[],
): Promise<Uint8Array | null> {
  const parts: Buffer[] = [];
  for (const q of queries) {
    const { sql, bindings } = vectorTileSql(tile, q);
    const rows = await queryRows<{ tile: Buffer | null }>(db, sql, bindings);
    const bytes = rows[0]?.tile;
    if (bytes && bytes.length > 0) parts.push(bytes);
  }
  if (parts.length === 0) return null;
  // An MVT tile is a sequence of layer messages, so per-layer tiles concatenate into one.
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

async function renderWithJs(
  db: Database,
  tile: TileCoords,
  queries: readonly TileLayerQuery[],
): Promise<Uint8Array | null> {
  const layers = [];
  for (const q of queries) {
    const unitM = tileUnitM(tile.z, TILE_EXTENT);
    type Row = Record<string, TilePropertyValue> & { fid: number; geom: Geometry3857 | null };
    const rows = await queryRows<Row>(
      db,
      // Like ST_AsMVTGeom: lines and polygons narrower and lower than half a tile unit are dropped. The
      // geometry goes to encodeMvt as the layer query made it (already cut to the tile's neighbourhood),
      // exactly what ST_AsMVTGeom would get: cutting it again here would add vertices whose snapping tilts
      // the lines that encodeMvt then cuts at the tile edge. Nine decimals of a metre keep each coordinate
      // to the last bit that matters (a tile unit is 4 cm at z22).
      `SELECT f.fid, ${fieldColumns(q.layer)}, ST_AsGeoJSON(f.geom, 9)::json AS geom
       FROM (${q.sql}) AS f
       WHERE f.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom)
         AND (ST_Dimension(f.geom) = 0
              OR ST_XMax(f.geom) - ST_XMin(f.geom) >= ? OR ST_YMax(f.geom) - ST_YMin(f.geom) >= ?)`,
      [...q.bindings, unitM / 2, unitM / 2],
    );
    const names = Object.keys(q.layer.fields);
    const features: TileFeature3857[] = rows.map((row) => ({
      id: row.fid,
      properties: Object.fromEntries(names.map((n) => [n, row[n] ?? null])),
      geometry: row.geom,
    }));
    layers.push({ name: q.layer.id, features });
  }
  const bytes = encodeMvt(layers, tile, { extent: TILE_EXTENT, buffer: TILE_BUFFER });
  // A Buffer view (no copy) on both paths: HTTP frameworks send Buffers as bytes.
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
