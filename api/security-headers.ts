import type { Context, Middleware } from 'koa';
import { TidemarkError } from '../common/errors.ts';

export interface SecurityHeadersOptions {
  /**
   * Browser origins allowed to read the API cross-origin (exact `scheme://host[:port]`), or `*` for any.
   * Default: TIDEMARK_CORS_ORIGINS (comma-separated), else none: only same-origin pages (the viewer).
   */
  corsOrigins?: readonly string[];
}

/**
 * A response that sets no policy of its own (every JSON, tile and problem response) may load nothing and be
 * framed by no one. The viewer's index.html sets its own, wider policy (api/viewer-static.ts), which wins.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The headers helmet sets by default (helmet 8), fixed here; HSTS only over HTTPS, where it means something. */
const STATIC_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

const HSTS = 'max-age=31536000; includeSubDomains';
const CORS_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const CORS_REQUEST_HEADERS = 'Authorization, Content-Type, If-None-Match, Last-Event-ID';
const CORS_EXPOSED_HEADERS = 'ETag, Location, Retry-After, WWW-Authenticate, Content-Encoding, Link';
const PREFLIGHT_MAX_AGE_S = '600';

/** Parses a comma-separated origin list (TIDEMARK_CORS_ORIGINS); a malformed entry is an error, not ignored. */
export function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      if (entry === '*') return entry;
      let origin: string | null = null;
      try {
        const url = new URL(entry);
        origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
      } catch {
        origin = null;
      }
      if (origin === null || origin !== entry.replace(/\/$/, '')) {
        throw new TidemarkError(
          'INVALID_INPUT',
          `TIDEMARK_CORS_ORIGINS: '${entry}' is not an origin (expected scheme://host[:port], or *)`,
        );
      }
      return origin;
    });
}

/** How this server's security headers and CORS answer a request: one policy, shared by every code path. */
export interface SecurityPolicy {
  /** Set on every response, before and after the handler: helmet's headers and the resource policy. */
  readonly base: Readonly<Record<string, string>>;
  readonly corsEnabled: boolean;
  /** CORS for a list of origins: answers depend on Origin, so caches must key on it. */
  readonly varyOrigin: boolean;
  /** The Access-Control-Allow-Origin value for a request's Origin header ('' when absent), or null. */
  allowedOrigin(origin: string): string | null;
  /** The CORS headers of an actual (not preflight) response to an allowed origin. */
  corsHeaders(allowed: string): Readonly<Record<string, string>>;
  /**
   * Every security and CORS header of a finished API response that is not a script and sets no policy of its
   * own (tiles, JSON), except Vary: exactly what securityHeaders ends up setting on one, for a front end that
   * writes its headers in one go. `secure`: the request came over HTTPS (as Koa's ctx.secure decides it).
   */
  apiResponseHeaders(origin: string, secure: boolean): Readonly<Record<string, string>>;
}

/** The security policy for a set of CORS origins (default: TIDEMARK_CORS_ORIGINS). */
export function securityPolicy(options: SecurityHeadersOptions = {}): SecurityPolicy {
  const origins = new Set(options.corsOrigins ?? parseCorsOrigins(process.env.TIDEMARK_CORS_ORIGINS));
  const anyOrigin = origins.has('*');
  const corsEnabled = origins.size > 0;
  const base = Object.freeze({
    ...STATIC_HEADERS,
    // Cross-origin readers need the resource policy relaxed; without CORS only our own pages read us.
    'Cross-Origin-Resource-Policy': corsEnabled ? 'cross-origin' : 'same-origin',
  });
  const corsHeaders = (allowed: string) => ({
    'Access-Control-Allow-Origin': allowed,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS,
  });
  const allowedOrigin = (origin: string): string | null => {
    if (!corsEnabled || origin === '') return null;
    if (anyOrigin) return '*';
    return origins.has(origin) ? origin : null;
  };
  const apiHeaders = (allowed: string | null, secure: boolean) =>
    Object.freeze({
      ...base,
      'Content-Security-Policy': API_CONTENT_SECURITY_POLICY,
      ...(secure ? { 'Strict-Transport-Security': HSTS } : {}),
      ...(allowed === null ? {} : corsHeaders(allowed)),
    });
  // The usual cases, made once: a same-origin (or no-CORS) request over HTTP or HTTPS.
  const plain = apiHeaders(null, false);
  const plainSecure = apiHeaders(null, true);
  return {
    base,
    corsEnabled,
    varyOrigin: corsEnabled && !anyOrigin,
    allowedOrigin,
    corsHeaders,
    apiResponseHeaders(origin, secure) {
      const allowed = allowedOrigin(origin);
      if (allowed === null) return secure ? plainSecure : plain;
      return apiHeaders(allowed, secure);
    },
  };
}

/**
 * Security headers on every response (errors included: it runs outside the error middleware, and sets its
 * headers again after it, because the error middleware drops the headers of a failed response) and CORS
 * for the configured origins, preflights included. Bearer keys, not cookies, authorise requests, so CORS
 * never allows credentials.
 */
export function securityHeaders(policy: SecurityPolicy = securityPolicy()): Middleware {
  function apply(ctx: Context, final: boolean): void {
    if (ctx.headerSent) return;
    ctx.set(policy.base);
    // A worker script runs under its own response's policy: the viewer's MapLibre worker (a JS asset)
    // must keep the right to fetch tiles, so scripts get no policy here (the page's policy governs them).
    const script = /javascript/.test(ctx.response.type);
    if (final && !script && !ctx.response.get('Content-Security-Policy')) {
      ctx.set('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    }
    if (ctx.secure) ctx.set('Strict-Transport-Security', HSTS);
    if (policy.corsEnabled) {
      if (policy.varyOrigin) ctx.vary('Origin');
      const allowed = policy.allowedOrigin(ctx.get('Origin'));
      if (allowed !== null) ctx.set(policy.corsHeaders(allowed));
    }
  }

  return async (ctx, next) => {
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      const allowed = policy.allowedOrigin(ctx.get('Origin'));
      if (allowed !== null) {
        apply(ctx, true);
        ctx.set('Access-Control-Allow-Methods', CORS_METHODS);
        ctx.set('Access-Control-Allow-Headers', CORS_REQUEST_HEADERS);
        ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
        ctx.status = 204;
        return;
      }
    }
    // Set before too, for a handler that sends its headers itself; the policy waits for the content type.
    apply(ctx, false);
    try {
      await next();
    } finally {
      apply(ctx, true);
    }
  };
}
