import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Middleware } from 'koa';
import { TidemarkError } from '../common/errors.ts';
import { basemapStyleFromEnv } from '../viewer/build-viewer.ts';
import { createRepresentation, type Representation, sendRepresentation } from './representation.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Hashed asset names change with their content, so a browser may keep them for a year without asking. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current assets, so it is revalidated on every load (cheap: a 304 by ETag). */
const REVALIDATE = 'no-cache';

/**
 * The page may load scripts, styles, workers and data only from our origin: this enforces in the browser the
 * rule that the viewer talks to no other host. Inline styles are allowed because MapLibre positions its DOM
 * elements with style attributes. A deployment that configures an external basemap (TIDEMARK_BASEMAP_STYLE)
 * opts into https data and images: a style names tiles, glyphs and sprites on hosts of its own choosing.
 */
export function contentSecurityPolicy(basemapStyleUrl: string): string {
  const external = basemapStyleUrl === '' ? '' : ' https:';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${external}`,
    `connect-src 'self'${external}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}

// Asset names as the viewer build writes them; anything else (dots-only, slashes, encoded tricks) is not ours.
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

interface CachedFile {
  mtimeMs: number;
  size: number;
  rep: Representation;
}

/**
 * Serves the built viewer (dist/viewer) at `/` and `/assets/*`. Files are read and compressed once per
 * (mtime, size), so a rebuild while the server runs is picked up without a restart.
 */
export function viewerStatic(viewerDir: string, basemapStyleUrl = basemapStyleFromEnv()): Middleware {
  const csp = contentSecurityPolicy(basemapStyleUrl);
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<Representation | null> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const hit = cache.get(path);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit.rep;
    const rep = await createRepresentation(await readFile(path), { brotliQuality: 9 });
    cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, rep });
    return rep;
  }

  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    let file: string;
    let cacheControl: string;
    if (ctx.path === '/' || ctx.path === '/index.html') {
      file = 'index.html';
      cacheControl = REVALIDATE;
    } else if (ctx.path.startsWith('/assets/') && ASSET_NAME.test(ctx.path.slice('/assets/'.length))) {
      file = join('assets', ctx.path.slice('/assets/'.length));
      cacheControl = IMMUTABLE;
    } else {
      return next();
    }
    const rep = await load(join(viewerDir, file));
    if (rep === null) {
      if (file === 'index.html') {
        throw new TidemarkError(
          'INTERNAL',
          `The viewer is not built in ${viewerDir}: run npm run build:viewer`,
          {
            status: 503,
          },
        );
      }
      return next();
    }
    const contentType = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    if (file === 'index.html') {
      ctx.set('Content-Security-Policy', csp);
      ctx.set('Referrer-Policy', 'no-referrer');
    }
    ctx.set('X-Content-Type-Options', 'nosniff');
    sendRepresentation(ctx, rep, { contentType, cacheControl });
  };
}
