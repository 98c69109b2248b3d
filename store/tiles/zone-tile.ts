import type { Database } from '../db.ts';
import { renderVectorTile, type TileEncoder, type TileLayerQuery } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { checkSiteFilter, type SiteTileFilter } from './tile-filter.ts';
import { allOf, siteCondition, tileGeometrySql, tileOverlapSql } from './tile-query-sql.ts';
import { ZONES_LAYER } from './vector-layers.ts';

export interface ZoneTileParams extends TileCoords, SiteTileFilter {}

/**
 * The `zones` vector tile: aquaculture zones with their latest risk assessment, if any (an unassessed zone
 * has no risk_class, distance or years to impact). Null when the tile is empty.
 */
export async function getZoneTile(
  db: Database,
  params: ZoneTileParams,
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  const tile = { z: params.z, x: params.x, y: params.y };
  return renderVectorTile(db, tile, [zoneTileQuery(tile, params)], opts);
}

export function zoneTileQuery(tile: TileCoords, filter: SiteTileFilter): TileLayerQuery {
  checkSiteFilter(filter);
  const geom = tileGeometrySql('z.geom', tile);
  const conditions = allOf([tileOverlapSql('z.geom', tile), ...siteCondition(filter.site)]);
  return {
    layer: ZONES_LAYER,
    sql: `SELECT z.id AS fid, z.id AS id, s.slug AS site, z.name AS name, z.farm_type AS farm_type,
                 z.area_m2 AS area_m2, r.risk_class AS risk_class,
                 r.distance_to_shoreline_m AS distance_to_shoreline_m, r.years_to_impact AS years_to_impact,
                 ${geom.sql} AS geom
          FROM aquaculture_zones z
          JOIN sites s ON s.id = z.site_id
          LEFT JOIN LATERAL (
            SELECT za.risk_class, za.distance_to_shoreline_m, za.years_to_impact
            FROM zone_assessments za
            WHERE za.zone_id = z.id
            ORDER BY za.assessed_at DESC, za.id DESC
            LIMIT 1
          ) AS r ON true
          WHERE ${conditions.sql}
          ORDER BY z.id
          LIMIT ?`,
    bindings: [...geom.bindings, ...conditions.bindings, ZONES_LAYER.featureCap],
  };
}
