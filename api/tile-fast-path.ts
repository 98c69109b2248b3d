import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { SecurityPolicy } from './security-headers.ts';
import type { PreparedTileRequest, TileEndpoint, TileResponse } from './tile-endpoint.ts';

export interface TileFastPathOptions {
  endpoint: TileEndpoint;
  /** The policy the app's securityHeaders middleware applies (same CORS origins). */
  security: SecurityPolicy;
  /** Reads need no key. When they do, every tile request goes through authentication: no fast path. */
  publicReads: boolean;
  /** The app trusts X-Forwarded-Proto (Koa's app.proxy), which decides whether HSTS is sent. */
  trustProxy: boolean;
}

/**
 * Answers a tile request on its own, or returns false having written nothing (the app then answers it).
 * A promise when it took the request on: it resolves to false if the answer failed before anything was
 * written, true once the response is sent.
 */
export type TileFastPath = (req: IncomingMessage, res: ServerResponse) => false | Promise<boolean>;

// Only the canonical form: a lower-case layer id, no percent-encoding, digits for z/x/y. Anything else
// (an encoded or oddly cased path, a trailing slash) is the router's to match or refuse.
const TILE_URL = /^\/tiles\/([a-z0-9_-]+)\/(\d{1,10})\/(\d{1,10})\/(\d{1,10})\.mvt(?:\?([^#]*))?$/;

/**
 * The lean path for the common tile request: a GET or HEAD of a tile, with no Authorization header, on a
 * server with public reads. It runs in front of Koa, not as its first middleware, which still paid for Koa's
 * context (about 25 µs of CPU per tile, a tenth of an uncached tile's in bench:tiles), but keeps what the
 * middleware chain means: it answers through the same TileEndpoint as the Koa route, with the same security
 * and CORS headers (from the same SecurityPolicy). Anything else goes to the app untouched: a request that
 * fails validation, before any work, and one whose answer fails afterwards (unknown site, database error),
 * which the app then repeats and turns into its problem+json, logged with its error id there. So every
 * error a client sees comes from the one error middleware.
 */
export function tileFastPath(options: TileFastPathOptions): TileFastPath {
  const { endpoint, security, trustProxy } = options;
  if (!options.publicReads) return () => false;
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const m = TILE_URL.exec(req.url ?? '');
    if (m === null) return false;
    const headers = req.headers;
    // A presented key must be verified (a bad one is a 401 even on a public read): authenticate does that.
    if (headers.authorization) return false;
    let prepared: PreparedTileRequest;
    try {
      prepared = endpoint.prepare({
        layer: m[1],
        z: m[2],
        x: m[3],
        y: m[4],
        query: m[5] ?? '',
        acceptEncoding: headers['accept-encoding'] ?? '',
        ifNoneMatch: headers['if-none-match'] ?? '',
      });
    } catch {
      return false;
    }
    return answer(prepared, req, res);
  };

  async function answer(
    prepared: PreparedTileRequest,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    let tile: TileResponse;
    try {
      tile = await endpoint.answer(prepared);
    } catch {
      return false;
    }
    const secure = isSecure(req, trustProxy);
    const out: OutgoingHttpHeaders = {
      ...security.apiResponseHeaders(req.headers.origin ?? '', secure),
      ...tile.headers,
    };
    // As securityHeaders (Vary: Origin, first) then the tile route (Vary: Accept-Encoding) would set it.
    if (security.varyOrigin) out.Vary = tile.headers.Vary ? `Origin, ${tile.headers.Vary}` : 'Origin';
    if (tile.body !== null) out['Content-Length'] = String(tile.body.byteLength);
    res.writeHead(tile.status, out);
    if (tile.body === null || req.method === 'HEAD') res.end();
    else res.end(tile.body);
    return true;
  }
}

/** Koa's ctx.secure: a TLS socket, or, behind a trusted proxy, X-Forwarded-Proto's first value. */
function isSecure(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  const proto = req.headers['x-forwarded-proto'];
  return typeof proto === 'string' && proto.split(/\s*,\s*/, 1)[0] === 'https';
}

/**
 * A request listener that tries the fast path first and hands `fallback` (the Koa app) every request it does
 * not answer, including one whose answer failed before anything was written.
 */
export function withTileFastPath(fast: TileFastPath, fallback: RequestListener): RequestListener {
  return (req, res) => {
    const handled = fast(req, res);
    if (handled === false) {
      fallback(req, res);
      return;
    }
    handled.then(
      (done) => {
        if (!done) fallback(req, res);
      },
      () => {
        // Writing the response threw: if nothing reached the client, the app answers (with its problem).
        if (res.headersSent) res.destroy();
        else fallback(req, res);
      },
    );
  };
}
