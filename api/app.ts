import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { Router } from '@koa/router';
import Koa from 'koa';
import { TidemarkError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Database } from '../store/db.ts';
import { authConfigFromEnv } from './auth/auth-config.ts';
import { errorMiddleware } from './error-middleware.ts';
import { registerOgcRoutes } from './ogc/register-ogc-routes.ts';
import { createRestApi, type RestApiOptions } from './rest-api.ts';
import { registerHealthRoute } from './routes/healthz.ts';
import { registerTileRoutes } from './routes/tiles.ts';
import { TileCache } from './tile-cache.ts';
import { TileEndpoint } from './tile-endpoint.ts';
import { type TileFastPath, tileFastPath, withTileFastPath } from './tile-fast-path.ts';
import { createTileLayers } from './tile-layers.ts';
import { viewerStatic } from './viewer-static.ts';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface AppDeps {
  db: Database;
  logger: Logger;
  /** Built viewer to serve at `/` (dist/viewer); without it only the API is served. */
  viewerDir?: string;
  /**
   * Trust X-Forwarded-Proto/Host (set only behind a proxy that overwrites them, or clients could choose the
   * host our TileJSON points at). Defaults to TIDEMARK_TRUST_PROXY=1.
   */
  trustProxy?: boolean;
  /** Fixed public origin for absolute URLs (e.g. https://tidemark.example.org); defaults to TIDEMARK_PUBLIC_URL. */
  publicUrl?: string;
  /** Budget of the in-memory tile cache; defaults to TIDEMARK_TILE_CACHE_MB (64 MB). 0 disables it. */
  tileCacheBytes?: number;
  /** REST API, auth and upload settings (unset ones come from the environment); see api/rest-api.ts. */
  rest?: RestApiOptions;
}

declare module 'koa' {
  interface DefaultContext {
    /** Aborted when the server starts to shut down: long requests (uploads) are refused from then on. */
    stopping?: AbortSignal;
    /** Aborted once the server's own jobs have stopped: every event stream still open ends. */
    endingStreams?: AbortSignal;
  }
}

const FAST_PATHS = new WeakMap<Koa, TileFastPath>();

interface ShutdownControllers {
  stopping: AbortController;
  endingStreams: AbortController;
}

const SHUTDOWNS = new WeakMap<Koa, ShutdownControllers>();

/** Marks the start of shutdown: uploads in progress and new ones are answered 503 at once. */
export function beginShutdown(app: Koa): void {
  SHUTDOWNS.get(app)?.stopping.abort();
}

/** Ends every open event stream (each gets a last event saying the server is stopping). */
export function endEventStreams(app: Koa): void {
  beginShutdown(app);
  SHUTDOWNS.get(app)?.endingStreams.abort();
}

function defaultTileCacheBytes(): number {
  const raw = process.env.TIDEMARK_TILE_CACHE_MB;
  const mb = raw === undefined || raw === '' ? 64 : Number(raw);
  if (!Number.isFinite(mb) || mb < 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `TIDEMARK_TILE_CACHE_MB must be a number of megabytes ≥ 0, got '${raw}'`,
    );
  }
  return Math.round(mb * 1024 * 1024);
}

/**
 * The Koa application: security headers, the error middleware, authentication, the routes, then the viewer.
 * Serve it with appRequestListener, which puts the tile fast path in front.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = deps.trustProxy ?? process.env.TIDEMARK_TRUST_PROXY === '1';
  // Errors are logged once, by the error middleware, with an id; Koa's default printer would log them again.
  app.silent = true;
  const shutdown = { stopping: new AbortController(), endingStreams: new AbortController() };
  SHUTDOWNS.set(app, shutdown);
  // app.context is the prototype of every request's ctx, so handlers read the signals as ctx.stopping etc.
  app.context.stopping = shutdown.stopping.signal;
  app.context.endingStreams = shutdown.endingStreams.signal;

  // Settled once here, so the REST API's authentication and the tile fast path follow the same rule.
  const publicReads = deps.rest?.publicReads ?? authConfigFromEnv().publicReads;

  const router = new Router();
  const publicUrl = deps.publicUrl ?? (process.env.TIDEMARK_PUBLIC_URL || undefined);
  const tiles = new TileEndpoint({
    db: deps.db,
    layers: createTileLayers(),
    cache: new TileCache({ maxBytes: deps.tileCacheBytes ?? defaultTileCacheBytes() }),
  });
  registerHealthRoute(router, { db: deps.db, version: VERSION });
  registerTileRoutes(router, {
    db: deps.db,
    endpoint: tiles,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  });
  registerOgcRoutes(router, { db: deps.db, ...(publicUrl === undefined ? {} : { publicUrl }) });
  const rest = createRestApi(
    app,
    { db: deps.db, logger: deps.logger, version: VERSION, tileLayers: [...createTileLayers().keys()] },
    { ...deps.rest, publicReads },
  );
  rest.register(router);

  FAST_PATHS.set(
    app,
    tileFastPath({
      endpoint: tiles,
      security: rest.security,
      publicReads,
      trustProxy: app.proxy,
    }),
  );
  app.use(rest.securityHeaders);
  app.use(errorMiddleware(deps.logger));
  app.use(rest.authenticate);
  app.use(router.routes());
  // Not `throw: true`: that loses the Allow header; the error middleware turns the bare 405/501 into a problem.
  app.use(router.allowedMethods());
  if (deps.viewerDir !== undefined) app.use(viewerStatic(deps.viewerDir));
  return app;
}

/**
 * The app as a node:http request listener: the tile fast path (api/tile-fast-path.ts) answers the plain
 * public tile request before Koa, which gets everything else, and what the fast path gives back. Koa's own
 * app.callback() serves the same responses, only without the fast path.
 */
export function appRequestListener(app: Koa): RequestListener {
  const koa = app.callback();
  const fast = FAST_PATHS.get(app);
  return fast === undefined ? koa : withTileFastPath(fast, koa);
}
