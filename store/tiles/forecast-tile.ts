import type { Database } from '../db.ts';
import { renderVectorTile, type TileEncoder, type TileLayerQuery } from './render-vector-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import { checkSiteFilter, type SiteTileFilter } from './tile-filter.ts';
import { allOf, type SqlFragment, siteCondition, tileGeometrySql, tileOverlapSql } from './tile-query-sql.ts';
import { FORECASTS_LAYER } from './vector-layers.ts';

export interface ForecastTileParams extends TileCoords, SiteTileFilter {}

/**
 * The `forecasts` vector tile: each forecast row gives two features, its shoreline (kind line) and its ±1σ
 * band (kind band). Feature ids stay integers and stable, as in the OGC collection: 2 × forecast id for the
 * line, 2 × forecast id + 1 for the band. Bands first, so lines draw over them in tile order too.
 */
export async function getForecastTile(
  db: Database,
  params: ForecastTileParams,
  opts: { encoder?: TileEncoder } = {},
): Promise<Uint8Array | null> {
  const tile = { z: params.z, x: params.x, y: params.y };
  return renderVectorTile(db, tile, [forecastTileQuery(tile, params)], opts);
}

export function forecastTileQuery(tile: TileCoords, filter: SiteTileFilter): TileLayerQuery {
  checkSiteFilter(filter);
  // One branch per geometry column, each with its own && condition, so each uses its own GiST index.
  const branch = (kind: 'line' | 'band', column: string, idSql: string): SqlFragment => {
    const geom = tileGeometrySql(column, tile);
    const conditions = allOf([tileOverlapSql(column, tile), ...siteCondition(filter.site)]);
    return {
      sql: `SELECT ${idSql} AS fid, f.id AS forecast_id, s.slug AS site, '${kind}'::text AS kind,
                   f.horizon_years AS horizon_years, f.forecast_date::text AS forecast_date,
                   f.sigma_mean_m AS sigma_mean_m, ${geom.sql} AS geom
            FROM forecasts f
            JOIN sites s ON s.id = f.site_id
            WHERE ${conditions.sql}`,
      bindings: [...geom.bindings, ...conditions.bindings],
    };
  };
  const bands = branch('band', 'f.band_geom', 'f.id::bigint * 2 + 1');
  const lines = branch('line', 'f.line_geom', 'f.id::bigint * 2');
  return {
    layer: FORECASTS_LAYER,
    sql: `SELECT * FROM (${bands.sql} UNION ALL ${lines.sql}) AS fc
          ORDER BY fc.kind, fc.horizon_years, fc.fid
          LIMIT ?`,
    bindings: [...bands.bindings, ...lines.bindings, FORECASTS_LAYER.featureCap],
  };
}
