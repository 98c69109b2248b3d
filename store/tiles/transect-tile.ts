import type { Database } from '../db.ts';
import { renderVectorTile, type TileEncoder, type TileLayerQuery } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { checkSiteFilter, type SiteTileFilter } from './tile-filter.ts';
import { allOf, siteCondition, tileGeometrySql, tileOverlapSql } from './tile-query-sql.ts';
import { TRANSECTS_LAYER } from './vector-layers.ts';

export interface TransectTileParams extends TileCoords, SiteTileFilter {}

/**
 * The `transects` vector tile: each site's current transects with their DSAS statistics (null statistics,
 * e.g. an LRR with fewer than 3 positions, are left out of the feature). Ordered along the baseline, up to
 * the cap. Null when the tile is empty.
 */
export async function getTransectTile(
  db: Database,
  params: TransectTileParams,
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  const tile = { z: params.z, x: params.x, y: params.y };
  return renderVectorTile(db, tile, [transectTileQuery(tile, params)], opts);
}

export function transectTileQuery(tile: TileCoords, filter: SiteTileFilter): TileLayerQuery {
  checkSiteFilter(filter);
  const geom = tileGeometrySql('t.geom', tile);
  const conditions = allOf([tileOverlapSql('t.geom', tile), ...siteCondition(filter.site)]);
  return {
    layer: TRANSECTS_LAYER,
    sql: `SELECT t.id AS fid, t.id AS id, s.slug AS site, t.transect_no AS transect_no, ts.n AS n,
                 ts.nsm_m AS nsm_m, ts.sce_m AS sce_m, ts.epr_m_yr AS epr_m_yr, ts.lrr_m_yr AS lrr_m_yr,
                 ts.lrr_ci_m_yr AS lrr_ci_m_yr, ts.lrr_r2 AS lrr_r2, ts.wlr_m_yr AS wlr_m_yr,
                 ts.rate_class AS "class", ${geom.sql} AS geom
          FROM transects t
          JOIN sites s ON s.id = t.site_id
          LEFT JOIN transect_stats ts ON ts.transect_id = t.id
          WHERE ${conditions.sql}
          ORDER BY t.site_id, t.transect_no
          LIMIT ?`,
    bindings: [...geom.bindings, ...conditions.bindings, TRANSECTS_LAYER.featureCap],
  };
}
