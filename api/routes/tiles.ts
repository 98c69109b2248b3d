import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../../store/db.ts';
import { publicBaseUrl } from '../public-base-url.ts';
import { createRepresentation, sendRepresentation } from '../representation.ts';
import type { TileLayer } from '../tile-layer.ts';
import { parseTileCoords } from '../tile-params.ts';
import { buildTileJson } from '../tilejson.ts';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Tiles change whenever a scene is ingested or an analysis reruns, and their URLs do not carry a data version,
 * so browsers revalidate every time; the strong ETag makes that a cheap 304.
 */
const TILE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

export interface TileRouteDeps {
  db: Database;
  layers: ReadonlyMap<string, TileLayer>;
  publicUrl?: string;
}

function layerOf(layers: ReadonlyMap<string, TileLayer>, id: string | undefined): TileLayer {
  const layer = id === undefined ? undefined : layers.get(id);
  if (layer === undefined) {
    throw new TidemarkError('NOT_FOUND', `Unknown tile layer '${id}'`, {
      details: { allowed: [...layers.keys()] },
    });
  }
  return layer;
}

/** `GET /tiles/{layer}.json` (TileJSON 3.0.0) and `GET /tiles/{layer}/{z}/{x}/{y}.mvt` for every registered layer. */
export function registerTileRoutes(router: Router, deps: TileRouteDeps): void {
  router.get('/tiles/:layer.json', async (ctx: Context & { params: Record<string, string> }) => {
    const layer = layerOf(deps.layers, ctx.params.layer);
    const bound = layer.bind(ctx.query);
    const extent = await bound.getExtent(deps.db);
    const tileJson = buildTileJson({
      layer,
      extent,
      baseUrl: publicBaseUrl(ctx, deps.publicUrl),
      queryString: bound.queryString,
    });
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = tileJson;
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (ctx: Context & { params: Record<string, string> }) => {
    const layer = layerOf(deps.layers, ctx.params.layer);
    const coords = parseTileCoords(ctx.params);
    const bound = layer.bind(ctx.query);
    const bytes = await bound.getTile(deps.db, coords);
    if (bytes === null || bytes.byteLength === 0) {
      ctx.set('Cache-Control', TILE_CACHE_CONTROL);
      ctx.status = 204;
      return;
    }
    const rep = await createRepresentation(bytes);
    sendRepresentation(ctx, rep, { contentType: MVT_CONTENT_TYPE, cacheControl: TILE_CACHE_CONTROL });
  });
}
