import { changeTileQuery } from './change-tile.ts';
import { forecastTileQuery } from './forecast-tile.ts';
import { hazardTileQuery } from './hazard-tile.ts';
import type { TileLayerQuery } from './render-vector-tile.ts';
import { shorelineTileQuery } from './shoreline-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import type { SiteYearTileFilter } from './tile-filter.ts';
import { transectTileQuery } from './transect-tile.ts';
import { zoneTileQuery } from './zone-tile.ts';

/**
 * Each vector layer's query builder, by layer id (layers without a year range ignore fromYear/toYear). For
 * callers that pick a layer at run time, such as the tile benchmark running the tile SQL directly.
 */
export const LAYER_TILE_QUERIES: Readonly<
  Record<string, (tile: TileCoords, filter: SiteYearTileFilter) => TileLayerQuery>
> = {
  shorelines: shorelineTileQuery,
  change: changeTileQuery,
  transects: transectTileQuery,
  forecasts: forecastTileQuery,
  hazard: hazardTileQuery,
  zones: zoneTileQuery,
};
