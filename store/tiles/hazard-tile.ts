import type { Database } from '../db.ts';
import { renderVectorTile, type TileEncoder, type TileLayerQuery } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { checkSiteFilter, type SiteTileFilter } from './tile-filter.ts';
import { allOf, siteCondition, tileGeometrySql, tileOverlapSql } from './tile-query-sql.ts';
import { HAZARD_LAYER } from './vector-layers.ts';

export interface HazardTileParams extends TileCoords, SiteTileFilter {}

/**
 * The `hazard` vector tile: each site's hazard zones, one per forecast horizon, the longest horizon first
 * (it contains the shorter ones, so they draw over it). Null when the tile is empty.
 */
export async function getHazardTile(
  db: Database,
  params: HazardTileParams,
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  const tile = { z: params.z, x: params.x, y: params.y };
  return renderVectorTile(db, tile, [hazardTileQuery(tile, params)], opts);
}

export function hazardTileQuery(tile: TileCoords, filter: SiteTileFilter): TileLayerQuery {
  checkSiteFilter(filter);
  const geom = tileGeometrySql('h.geom', tile);
  const conditions = allOf([tileOverlapSql('h.geom', tile), ...siteCondition(filter.site)]);
  return {
    layer: HAZARD_LAYER,
    sql: `SELECT h.id AS fid, h.id AS id, s.slug AS site, h.horizon_years AS horizon_years,
                 f.forecast_date::text AS forecast_date, h.area_m2 AS area_m2, ${geom.sql} AS geom
          FROM hazard_zones h
          JOIN sites s ON s.id = h.site_id
          LEFT JOIN forecasts f ON f.id = h.forecast_id
          WHERE ${conditions.sql}
          ORDER BY h.horizon_years DESC, h.id
          LIMIT ?`,
    bindings: [...geom.bindings, ...conditions.bindings, HAZARD_LAYER.featureCap],
  };
}
