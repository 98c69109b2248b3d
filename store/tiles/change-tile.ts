import type { Database } from '../db.ts';
import { renderVectorTile, type TileEncoder, type TileLayerQuery } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { checkSiteYearFilter, type SiteYearTileFilter } from './tile-filter.ts';
import { allOf, type SqlFragment, siteCondition, tileGeometrySql, tileOverlapSql } from './tile-query-sql.ts';
import { CHANGE_LAYER } from './vector-layers.ts';

export interface ChangeTileParams extends TileCoords, SiteYearTileFilter {}

/**
 * The `change` vector tile: erosion and accretion polygons of each site's current analysis. A year range
 * keeps the periods that lie within it (from ≤ period start, period end ≤ to), so a slider over the years
 * shows the change between the shorelines it shows. Latest periods first, then the largest, up to the cap.
 * Null when the tile is empty.
 */
export async function getChangeTile(
  db: Database,
  params: ChangeTileParams,
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  const tile = { z: params.z, x: params.x, y: params.y };
  return renderVectorTile(db, tile, [changeTileQuery(tile, params)], opts);
}

export function changeTileQuery(tile: TileCoords, filter: SiteYearTileFilter): TileLayerQuery {
  checkSiteYearFilter(filter);
  const geom = tileGeometrySql('cp.geom', tile);
  const where: SqlFragment[] = [tileOverlapSql('cp.geom', tile), ...siteCondition(filter.site)];
  if (filter.fromYear !== undefined) {
    where.push({ sql: 'cp.period_start >= ?::date', bindings: [`${filter.fromYear}-01-01`] });
  }
  if (filter.toYear !== undefined) {
    where.push({ sql: 'cp.period_end <= ?::date', bindings: [`${filter.toYear}-12-31`] });
  }
  const conditions = allOf(where);
  return {
    layer: CHANGE_LAYER,
    sql: `SELECT cp.id AS fid, cp.id AS id, s.slug AS site, cp.kind AS kind,
                 cp.period_start::text AS period_start, cp.period_end::text AS period_end,
                 cp.period_kind AS period_kind, cp.area_m2 AS area_m2, ${geom.sql} AS geom
          FROM change_polygons cp
          JOIN sites s ON s.id = cp.site_id
          WHERE ${conditions.sql}
          ORDER BY cp.period_end DESC, cp.area_m2 DESC, cp.id
          LIMIT ?`,
    bindings: [...geom.bindings, ...conditions.bindings, CHANGE_LAYER.featureCap],
  };
}
