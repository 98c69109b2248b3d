import type { Database } from '../db.ts';
import { renderVectorTile, type TileEncoder, type TileLayerQuery } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { checkSiteYearFilter, type SiteYearTileFilter } from './tile-filter.ts';
import { allOf, type SqlFragment, siteCondition, tileGeometrySql, tileOverlapSql } from './tile-query-sql.ts';
import { SHORELINES_LAYER } from './vector-layers.ts';

export interface ShorelineTileParams extends TileCoords, SiteYearTileFilter {}

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
  return renderVectorTile(db, tile, [shorelineTileQuery(tile, params)], opts);
}

/** The layer query on its own, for tiles that combine several layers. Validates the filters. */
export function shorelineTileQuery(tile: TileCoords, filter: SiteYearTileFilter): TileLayerQuery {
  checkSiteYearFilter(filter);
  const geom = tileGeometrySql('sh.geom', tile);
  const where: SqlFragment[] = [tileOverlapSql('sh.geom', tile), ...siteCondition(filter.site)];
  if (filter.fromYear !== undefined) {
    where.push({ sql: 'sh.date >= ?::date', bindings: [`${filter.fromYear}-01-01`] });
  }
  if (filter.toYear !== undefined) {
    where.push({ sql: 'sh.date <= ?::date', bindings: [`${filter.toYear}-12-31`] });
  }
  const conditions = allOf(where);
  return {
    layer: SHORELINES_LAYER,
    sql: `SELECT sh.id AS fid, sh.id AS id, s.slug AS site, sh.scene_id AS scene_id, sh.date::text AS date,
                 extract(year FROM sh.date)::integer AS year, sh.length_m AS length_m, ${geom.sql} AS geom
          FROM shorelines sh
          JOIN sites s ON s.id = sh.site_id
          WHERE ${conditions.sql}
          ORDER BY sh.date DESC, sh.id DESC
          LIMIT ?`,
    bindings: [...geom.bindings, ...conditions.bindings, SHORELINES_LAYER.featureCap],
  };
}
