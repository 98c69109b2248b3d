import type { Router, RouterContext } from '@koa/router';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../../store/db.ts';
import { publicBaseUrl } from '../public-base-url.ts';
import { sendRepresentation } from '../representation.ts';
import { SingleFlight } from '../single-flight.ts';
import type { TileCache } from '../tile-cache.ts';
import type { TileLayer } from '../tile-layer.ts';
import { parseTileCoords } from '../tile-params.ts';
import { buildTileJson } from '../tilejson.ts';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Tile URLs do not carry the data version, and tiles change whenever a scene is ingested or an analysis
 * reruns, so browsers revalidate every time; the strong ETag makes that a cheap 304.
 */
export const TILE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

export interface TileRouteDeps {
  db: Database;
  layers: ReadonlyMap<string, TileLayer>;
  cache: TileCache;
  publicUrl?: string;
}

function layerOf(layers: ReadonlyMap<string, TileLayer>, id: string | undefined): TileLayer {
  const layer = id === undefined ? undefined : layers.get(id);
  if (layer === undefined) {
    throw new TidemarkError('NOT_FOUND', `Unknown tile layer '${String(id)}'`, {
      details: { allowed: [...layers.keys()] },
    });
  }
  return layer;
}

/** `GET /tiles/{layer}.json` (TileJSON 3.0.0) and `GET /tiles/{layer}/{z}/{x}/{y}.mvt` for every registered layer. */
export function registerTileRoutes(router: Router, deps: TileRouteDeps): void {
  // Concurrent requests under one filter share one version lookup.
  const versions = new SingleFlight<string>();

  router.get('/tiles/:layer.json', async (ctx: RouterContext) => {
    const layer = layerOf(deps.layers, ctx.params.layer);
    const bound = layer.bind(ctx.query);
    // Checks the filter names existing data (unknown site → 404) before describing it.
    await bound.dataVersion(deps.db);
    const extent = await bound.getExtent(deps.db);
    const baseUrl = publicBaseUrl(ctx, deps.publicUrl);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = buildTileJson({ layer, extent, baseUrl, queryString: bound.queryString });
  });

  router.get('/tiles/:layer/:z/:x/:y.mvt', async (ctx: RouterContext) => {
    const layer = layerOf(deps.layers, ctx.params.layer);
    const coords = parseTileCoords(ctx.params);
    const bound = layer.bind(ctx.query);
    const filterKey = `${layer.id}${bound.queryString}`;
    const version = await versions.run(filterKey, () => bound.dataVersion(deps.db));
    const key = `${layer.id}/${coords.z}/${coords.x}/${coords.y}${bound.queryString}#${version}`;
    const rep = await deps.cache.get(key, () => bound.getTile(deps.db, coords));
    if (rep === null) {
      ctx.set('Cache-Control', TILE_CACHE_CONTROL);
      ctx.status = 204;
      return;
    }
    sendRepresentation(ctx, rep, { contentType: MVT_CONTENT_TYPE, cacheControl: TILE_CACHE_CONTROL });
  });
}
