import type { Router, RouterContext } from '@koa/router';
import type { Database } from '../../store/db.ts';
import { publicBaseUrl } from '../public-base-url.ts';
import type { TileEndpoint, TileResponse } from '../tile-endpoint.ts';
import { buildTileJson } from '../tilejson.ts';

export interface TileRouteDeps {
  db: Database;
  /** The app's one tile endpoint (shared with the lean front end, api/tile-fast-path.ts). */
  endpoint: TileEndpoint;
  publicUrl?: string;
}

/** `GET /tiles/{layer}.json` (TileJSON 3.0.0) and `GET /tiles/{layer}/{z}/{x}/{y}.mvt` for every registered layer. */
export function registerTileRoutes(router: Router, deps: TileRouteDeps): void {
  const { endpoint } = deps;

  router.get('/tiles/:layer.json', async (ctx: RouterContext) => {
    const layer = endpoint.layer(ctx.params.layer);
    const bound = endpoint.bind(layer, ctx.querystring);
    // Checks the filter names existing data (unknown site → 404) before describing it.
    await bound.dataVersion(deps.db);
    const extent = await bound.getExtent(deps.db);
    const baseUrl = publicBaseUrl(ctx, deps.publicUrl);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = buildTileJson({ layer, extent, baseUrl, queryString: bound.queryString });
  });

  // Requests that need no key check are answered before Koa (api/tile-fast-path.ts); this route takes the
  // rest (a presented key, private reads) and gives the same answer through the same endpoint.
  router.get('/tiles/:layer/:z/:x/:y.mvt', async (ctx: RouterContext) => {
    const tile = await endpoint.serve({
      layer: ctx.params.layer,
      z: ctx.params.z,
      x: ctx.params.x,
      y: ctx.params.y,
      query: ctx.querystring,
      acceptEncoding: ctx.get('Accept-Encoding'),
      ifNoneMatch: ctx.get('If-None-Match'),
    });
    send(ctx, tile);
  });
}

function send(ctx: RouterContext, tile: TileResponse): void {
  ctx.status = tile.status;
  for (const [name, value] of Object.entries(tile.headers)) {
    // Vary adds to what is there (Origin, from CORS), as every other header replaces.
    if (name === 'Vary') ctx.vary(value);
    else ctx.set(name, value);
  }
  if (tile.body !== null) ctx.body = tile.body;
}
