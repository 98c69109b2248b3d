import type { Router } from '@koa/router';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import type { Logger } from '../common/logger.ts';
import { createSceneJobs, type SceneJobs } from '../services/scene-jobs.ts';
import { defaultUploadMaxBytes } from '../services/upload-scene.ts';
import type { Database } from '../store/db.ts';
import type { ExtractPool } from '../workers/extract-pool.ts';
import { type AuthConfig, authConfigFromEnv } from './auth/auth-config.ts';
import { authenticate } from './auth/authenticate.ts';
import { registerKeyRoutes } from './auth/key-routes.ts';
import { TokenBucketLimiter } from './auth/token-bucket.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerOpenApiRoute } from './routes/openapi.ts';
import { registerSceneRoutes } from './routes/scenes.ts';
import { registerSiteRoutes } from './routes/sites.ts';
import { registerTransectRoutes } from './routes/transects.ts';
import { registerZoneRoutes } from './routes/zones.ts';
import { type SecurityPolicy, securityHeaders, securityPolicy } from './security-headers.ts';

/** Settings of the REST API, auth and uploads; anything unset comes from the environment. */
export interface RestApiOptions {
  publicReads?: boolean;
  uploadRate?: AuthConfig['uploadRate'];
  /** Browser origins allowed cross-origin (TIDEMARK_CORS_ORIGINS). */
  corsOrigins?: readonly string[];
  /** TIDEMARK_UPLOAD_MAX_MB. */
  uploadMaxBytes?: number;
  /** TIDEMARK_UPLOAD_DIR, else the OS temp dir. */
  uploadDir?: string;
  /** A job runner to share; by default the app creates its own (closed by closeRestApi). */
  sceneJobs?: SceneJobs;
  /** The extraction pool for the app's own job runner (default: one created on the first upload). */
  extractPool?: ExtractPool;
}

export interface RestApi {
  /** The security and CORS headers of every response (also used by the tile fast path). */
  security: SecurityPolicy;
  /** Outermost middleware: applies `security` to every response. */
  securityHeaders: Middleware;
  /** After the error middleware, before the routes: who is calling, and may they. */
  authenticate: Middleware;
  /** Mounts the REST routes, the key routes and /openapi.json. */
  register(router: Router): void;
  jobs: SceneJobs;
}

const OWNED_JOBS = new WeakMap<Koa, SceneJobs>();

/** The REST API of one app: `/api/*`, `/openapi.json`, API-key auth, upload jobs and security headers. */
export function createRestApi(
  app: Koa,
  deps: { db: Database; logger: Logger; version: string; tileLayers: readonly string[] },
  options: RestApiOptions = {},
): RestApi {
  const env =
    options.publicReads === undefined || options.uploadRate === undefined ? authConfigFromEnv() : null;
  const publicReads = options.publicReads ?? env!.publicReads;
  const uploadRate = options.uploadRate ?? env!.uploadRate;
  const uploadMaxBytes = options.uploadMaxBytes ?? defaultUploadMaxBytes();
  const jobs =
    options.sceneJobs ??
    createSceneJobs({
      db: deps.db,
      logger: deps.logger,
      ...(options.extractPool === undefined ? {} : { pool: options.extractPool }),
      ...(options.uploadDir === undefined ? {} : { uploadDir: options.uploadDir }),
    });
  if (options.sceneJobs === undefined) OWNED_JOBS.set(app, jobs);
  const uploadLimiter = new TokenBucketLimiter({
    capacity: uploadRate.burst,
    refillPerSec: uploadRate.perMinute / 60,
  });
  let mounted: Router | null = null;
  const security = securityPolicy(
    options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins },
  );
  return {
    security,
    securityHeaders: securityHeaders(security),
    authenticate: authenticate({
      db: deps.db,
      publicReads,
      routeExists: (method, path) => mounted?.match(path, method).route ?? true,
    }),
    jobs,
    register(router) {
      mounted = router;
      registerSiteRoutes(router, { db: deps.db });
      registerSceneRoutes(router, {
        db: deps.db,
        jobs,
        uploadLimiter,
        uploadMaxBytes,
        ...(options.uploadDir === undefined ? {} : { uploadDir: options.uploadDir }),
      });
      registerJobRoutes(router, { jobs });
      registerTransectRoutes(router, { db: deps.db });
      registerZoneRoutes(router, { db: deps.db });
      registerKeyRoutes(router, { db: deps.db });
      registerOpenApiRoute(router, {
        version: deps.version,
        tileLayers: deps.tileLayers,
        publicReads,
        uploadMaxBytes,
      });
    },
  };
}

/**
 * Stops the app's own upload jobs (running ones are aborted and recorded as failed, files removed) and frees
 * its extraction pool. Call it when the server stops, before closing the database.
 */
export async function closeRestApi(app: Koa): Promise<void> {
  await OWNED_JOBS.get(app)?.close();
  OWNED_JOBS.delete(app);
}
