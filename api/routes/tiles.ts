import type { Router, RouterContext } from '@koa/router';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../../store/db.ts';
import { negotiateEncoding } from '../content-encoding.ts';
import { DataVersionCache, invalidateOnWrites } from '../data-version-cache.ts';
import { publicBaseUrl } from '../public-base-url.ts';
import type { TileBody, TileCache } from '../tile-cache.ts';
import type { TileLayer } from '../tile-layer.ts';
import { parseTileCoords } from '../tile-params.ts';
import { buildTileJson } from '../tilejson.ts';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/**
 * Tile URLs do not carry the data version, and tiles change whenever a scene is ingested or an analysis
 * reruns, so browsers revalidate every time; the strong ETag makes that a cheap 304.
 */
export const TILE_CACHE_CONTROL = 'public, max-age=0, must-revalidate';

/**
 * How long a site's data version is trusted without asking the database again. Writes through this
 * process's database connection are seen at once; this bounds how late one from another process is seen.
 */
export const DATA_VERSION_TTL_MS = 1000;

export interface TileRouteDeps {
  db: Database;
  layers: ReadonlyMap<string, TileLayer>;
  cache: TileCache;
  publicUrl?: string;
  /** Default DATA_VERSION_TTL_MS; 0 asks the database on every tile request. */
  dataVersionTtlMs?: number;
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

/**
 * RFC 9110 §12.5.3: identity is acceptable unless the header gives it q=0, or gives `*` q=0 without naming
 * identity. (Small tiles are sent uncompressed to such clients even when they prefer gzip or brotli.)
 */
export function identityAcceptable(acceptEncoding: string): boolean {
  let identity: number | undefined;
  let star: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (name !== 'identity' && name !== '*') continue;
    let q = 1;
    for (const param of params) {
      const [k, v] = param.split('=');
      if (k?.trim().toLowerCase() === 'q') q = Number(v?.trim());
    }
    const weight = Number.isFinite(q) ? q : 0;
    if (name === 'identity') identity = Math.max(identity ?? 0, weight);
    else star = Math.max(star ?? 0, weight);
  }
  if (identity !== undefined) return identity > 0;
  return star === undefined || star > 0;
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison, and `*` matches any current representation. */
function noneMatch(header: string, etag: string): boolean {
  if (header === '') return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** `GET /tiles/{layer}.json` (TileJSON 3.0.0) and `GET /tiles/{layer}/{z}/{x}/{y}.mvt` for every registered layer. */
export function registerTileRoutes(router: Router, deps: TileRouteDeps): void {
  const ttlMs = deps.dataVersionTtlMs ?? DATA_VERSION_TTL_MS;
  const versions = new DataVersionCache({ ttlMs });
  invalidateOnWrites(deps.db.knex, versions);

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
    const acceptEncoding = ctx.get('Accept-Encoding');
    const coding = negotiateEncoding(acceptEncoding || undefined);
    if (coding === null) {
      throw new TidemarkError(
        'INVALID_INPUT',
        'None of the content codings in Accept-Encoding is available',
        {
          status: 406,
          details: { allowed: ['br', 'gzip', 'identity'] },
        },
      );
    }
    const filterKey = `${layer.id}${bound.queryString}`;
    const version =
      versions.peek(filterKey) ?? (await versions.get(filterKey, () => bound.dataVersion(deps.db)));
    const key = `${layer.id}/${coords.z}/${coords.x}/${coords.y}${bound.queryString}#${version}`;
    const accept = { preferred: coding, identity: identityAcceptable(acceptEncoding) };
    const hit = deps.cache.peek(key, accept);
    const tile =
      hit !== undefined ? hit : await deps.cache.get(key, accept, () => bound.getTile(deps.db, coords));
    ctx.set('Cache-Control', TILE_CACHE_CONTROL);
    if (tile === null) {
      ctx.status = 204;
      return;
    }
    send(ctx, tile);
  });
}

/** A tile with its ETag, `Vary: Accept-Encoding`, and a 304 when the client already holds these bytes. */
function send(ctx: RouterContext, tile: TileBody): void {
  ctx.vary('Accept-Encoding');
  ctx.set('ETag', tile.etag);
  if (noneMatch(ctx.get('If-None-Match'), tile.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = MVT_CONTENT_TYPE;
  if (tile.coding !== 'identity') ctx.set('Content-Encoding', tile.coding);
  ctx.body = tile.body;
}
