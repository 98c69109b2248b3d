import type { Knex } from 'knex';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../db.ts';
import {
  renderVectorTile,
  simplifyToleranceM,
  type TileEncoder,
  type TileLayerQuery,
  tileEnvelopeSql,
} from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { SHORELINES_LAYER, TILE_BUFFER, TILE_EXTENT } from './vector-layers.ts';

export interface ShorelineTileParams extends TileCoords {
  /** Site slug; an unknown slug gives an empty tile (the API checks it exists). */
  site?: string;
  fromYear?: number;
  toYear?: number;
}

// Pre-clip lines in EPSG:4326 a little beyond the MVT buffer, so that simplification never moves a
// vertex that ends up inside the buffered tile.
const PRECLIP_MARGIN = (2 * TILE_BUFFER) / TILE_EXTENT;
const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

/**
 * The `shorelines` vector tile: every stored line crossing the tile (optionally one site's, within a year
 * range), newest first up to the layer's feature cap, with properties id, site, scene_id, date, year and
 * length_m. Null when the tile is empty. `encoder` forces one encoder (tests compare them).
 */
export async function getShorelineTile(
  db: Database,
  params: ShorelineTileParams,
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  const tile = { z: params.z, x: params.x, y: params.y };
  const query = shorelineTileQuery(tile, params);
  return renderVectorTile(db, tile, [query], opts);
}

/** The layer query on its own, for tiles that combine several layers. Validates the filters. */
export function shorelineTileQuery(
  tile: TileCoords,
  filter: Omit<ShorelineTileParams, keyof TileCoords>,
): TileLayerQuery {
  const fromYear = checkYear('fromYear', filter.fromYear);
  const toYear = checkYear('toYear', filter.toYear);
  if (fromYear !== undefined && toYear !== undefined && fromYear > toYear) {
    throw new TidemarkError('INVALID_INPUT', `fromYear ${fromYear} is after toYear ${toYear}`);
  }
  if (filter.site !== undefined && typeof filter.site !== 'string') {
    throw new TidemarkError('INVALID_INPUT', 'site must be a slug');
  }
  const filterEnv = tileEnvelopeSql(tile, TILE_BUFFER / TILE_EXTENT);
  const clipEnv = tileEnvelopeSql(tile, PRECLIP_MARGIN);
  const where: string[] = [`sh.geom && ${filterEnv.sql}`];
  const whereBindings: Knex.Value[] = [...filterEnv.bindings];
  if (filter.site !== undefined) {
    where.push('s.slug = ?');
    whereBindings.push(filter.site);
  }
  if (fromYear !== undefined) {
    where.push('sh.date >= ?::date');
    whereBindings.push(`${fromYear}-01-01`);
  }
  if (toYear !== undefined) {
    where.push('sh.date <= ?::date');
    whereBindings.push(`${toYear}-12-31`);
  }
  return {
    layer: SHORELINES_LAYER,
    sql: `SELECT sh.id AS fid, sh.id AS id, s.slug AS site, sh.scene_id AS scene_id, sh.date::text AS date,
                 extract(year FROM sh.date)::integer AS year, sh.length_m AS length_m,
                 ST_Simplify(ST_Transform(ST_ClipByBox2D(sh.geom, ${clipEnv.sql}), 3857), ?) AS geom
          FROM shorelines sh
          JOIN sites s ON s.id = sh.site_id
          WHERE ${where.join(' AND ')}
          ORDER BY sh.date DESC, sh.id DESC
          LIMIT ?`,
    bindings: [
      ...clipEnv.bindings,
      simplifyToleranceM(tile.z),
      ...whereBindings,
      SHORELINES_LAYER.featureCap,
    ],
  };
}

function checkYear(name: string, year: number | undefined): number | undefined {
  if (year === undefined) return undefined;
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid ${name} ${String(year)}: expected a year from ${MIN_YEAR} to ${MAX_YEAR}`,
    );
  }
  return year;
}
