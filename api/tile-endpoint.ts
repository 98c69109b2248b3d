import { TidemarkError } from '../common/errors.ts';
import type { Database } from '../store/db.ts';
import { identityAcceptable, negotiateEncoding } from './content-encoding.ts';
import { DataVersionCache, invalidateOnWrites } from './data-version-cache.ts';
import type { AcceptedCodings, TileCache } from './tile-cache.ts';
import type { BoundTileLayer, QueryInput, TileLayer } from './tile-layer.ts';
import { parseTileCoords, type TileCoords } from './tile-params.ts';

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

/** Bound filters and negotiated codings remembered per raw request text; clients vary these very little. */
const MAX_REMEMBERED = 1024;

/** A tile request as any HTTP front end sees it. */
export interface TileRequest {
  /** The path segments as routed (percent-decoded). */
  layer: string | undefined;
  z: string | undefined;
  x: string | undefined;
  y: string | undefined;
  /** The query string as received, without the `?` ('' when there is none). */
  query: string;
  /** Header values, '' when absent. */
  acceptEncoding: string;
  ifNoneMatch: string;
}

/** A request checked without I/O, ready to be answered. */
export interface PreparedTileRequest {
  layer: TileLayer;
  coords: TileCoords;
  bound: BoundTileLayer;
  accept: AcceptedCodings;
  ifNoneMatch: string;
}

/** The tile's own response headers; the front end adds the security headers and Content-Length. */
export interface TileHeaders {
  'Cache-Control': string;
  /** Not on a 204: an empty tile is empty in every coding. */
  Vary?: string;
  ETag?: string;
  'Content-Type'?: string;
  'Content-Encoding'?: string;
}

/** The answer: 200 with the bytes to send, 204 for an empty tile, 304 when the client holds these bytes. */
export interface TileResponse {
  status: 200 | 204 | 304;
  headers: TileHeaders;
  /** The bytes on the wire (compressed when Content-Encoding says so); null unless 200. */
  body: Buffer | null;
}

export interface TileEndpointDeps {
  db: Database;
  layers: ReadonlyMap<string, TileLayer>;
  cache: TileCache;
  /** Default DATA_VERSION_TTL_MS; 0 asks the database on every tile request. */
  dataVersionTtlMs?: number;
}

/**
 * `GET /tiles/{layer}/{z}/{x}/{y}.mvt` without a framework: validation, data version, cache, rendering,
 * coding negotiation and conditional requests. The Koa route and the lean front end (api/tile-fast-path.ts)
 * both answer through it, so a tile gets the same response whichever way it came.
 */
export class TileEndpoint {
  readonly #db: Database;
  readonly #layers: ReadonlyMap<string, TileLayer>;
  readonly #cache: TileCache;
  readonly #versions: DataVersionCache;
  readonly #bound = new Map<string, BoundTileLayer>();
  readonly #accepted = new Map<string, AcceptedCodings | null>();

  constructor(deps: TileEndpointDeps) {
    this.#db = deps.db;
    this.#layers = deps.layers;
    this.#cache = deps.cache;
    this.#versions = new DataVersionCache({ ttlMs: deps.dataVersionTtlMs ?? DATA_VERSION_TTL_MS });
    invalidateOnWrites(deps.db.knex, this.#versions);
  }

  /** The registered layer `id`; an unknown one is a 404 naming the layers there are. */
  layer(id: string | undefined): TileLayer {
    const layer = id === undefined ? undefined : this.#layers.get(id);
    if (layer === undefined) {
      throw new TidemarkError('NOT_FOUND', `Unknown tile layer '${String(id)}'`, {
        details: { allowed: [...this.#layers.keys()] },
      });
    }
    return layer;
  }

  /**
   * The layer with its filter validated from a raw query string (400 on unknown or malformed parameters).
   * Remembered per query string: a map asks for hundreds of tiles with the same one.
   */
  bind(layer: TileLayer, query: string): BoundTileLayer {
    const key = `${layer.id}?${query}`;
    let bound = this.#bound.get(key);
    if (bound === undefined) {
      bound = layer.bind(parseQueryString(query));
      if (this.#bound.size >= MAX_REMEMBERED) this.#bound.clear();
      this.#bound.set(key, bound);
    }
    return bound;
  }

  /**
   * Checks a request without any I/O, in the order a client learns of its mistakes: unknown layer (404),
   * coordinates (400), query (400), Accept-Encoding refusing every coding (406). Throws the TidemarkError.
   */
  prepare(request: TileRequest): PreparedTileRequest {
    const layer = this.layer(request.layer);
    const coords = parseTileCoords(request);
    const bound = this.bind(layer, request.query);
    const accept = this.#accept(request.acceptEncoding);
    if (accept === null) {
      throw new TidemarkError(
        'INVALID_INPUT',
        'None of the content codings in Accept-Encoding is available',
        {
          status: 406,
          details: { allowed: ['br', 'gzip', 'identity'] },
        },
      );
    }
    return { layer, coords, bound, accept, ifNoneMatch: request.ifNoneMatch };
  }

  /**
   * Answers a prepared request: the data version (404 for an unknown site), then the tile from the cache or
   * rendered. Database failures propagate as they are (the front end turns them into a 500).
   */
  async answer(request: PreparedTileRequest): Promise<TileResponse> {
    const { layer, coords, bound, accept } = request;
    const filterKey = `${layer.id}${bound.queryString}`;
    const version =
      this.#versions.peek(filterKey) ??
      (await this.#versions.get(filterKey, () => bound.dataVersion(this.#db)));
    const key = `${layer.id}/${coords.z}/${coords.x}/${coords.y}${bound.queryString}#${version}`;
    const hit = this.#cache.peek(key, accept);
    const tile =
      hit !== undefined ? hit : await this.#cache.get(key, accept, () => bound.getTile(this.#db, coords));
    if (tile === null) return { status: 204, headers: { 'Cache-Control': TILE_CACHE_CONTROL }, body: null };
    const headers: TileHeaders = {
      'Cache-Control': TILE_CACHE_CONTROL,
      Vary: 'Accept-Encoding',
      ETag: tile.etag,
    };
    if (noneMatch(request.ifNoneMatch, tile.etag)) return { status: 304, headers, body: null };
    headers['Content-Type'] = MVT_CONTENT_TYPE;
    if (tile.coding !== 'identity') headers['Content-Encoding'] = tile.coding;
    return { status: 200, headers, body: tile.body };
  }

  /** prepare, then answer. */
  async serve(request: TileRequest): Promise<TileResponse> {
    return this.answer(this.prepare(request));
  }

  /** What the client accepts (null: nothing we have), remembered per Accept-Encoding value. */
  #accept(acceptEncoding: string): AcceptedCodings | null {
    let accept = this.#accepted.get(acceptEncoding);
    if (accept === undefined) {
      const preferred = negotiateEncoding(acceptEncoding || undefined);
      accept = preferred === null ? null : { preferred, identity: identityAcceptable(acceptEncoding) };
      if (this.#accepted.size >= MAX_REMEMBERED) this.#accepted.clear();
      this.#accepted.set(acceptEncoding, accept);
    }
    return accept;
  }
}

/**
 * A raw query string as Koa's `ctx.query` gives it (koa/lib/search-params.js): URLSearchParams decoding, a
 * repeated parameter as an array (which the filters reject).
 */
export function parseQueryString(query: string): QueryInput {
  const out: QueryInput = {};
  if (query === '') return out;
  const params = new URLSearchParams(query);
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    // defineProperty: a parameter named __proto__ is a parameter (rejected as unknown), not a prototype.
    Object.defineProperty(out, name, {
      value: values.length <= 1 ? values[0] : values,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison, and `*` matches any current representation. */
function noneMatch(header: string, etag: string): boolean {
  if (header === '') return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
