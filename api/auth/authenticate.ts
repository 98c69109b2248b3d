import type { Context, Middleware } from 'koa';
import { type ApiKey, type ApiKeyRole, verifyApiKey } from '../../store/api-keys.ts';
import type { Database } from '../../store/db.ts';

/** Paths that stay readable without a key even when reads are private: health and the viewer's files. */
const ALWAYS_PUBLIC = [/^\/healthz$/, /^\/$/, /^\/index\.html$/, /^\/assets\//, /^\/openapi\.json$/];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REALM = 'Bearer realm="tidemark"';

export interface AuthenticateOptions {
  db: Database;
  publicReads: boolean;
  /**
   * Whether a route takes this method on this path. A write to a path or method nobody serves is left to the
   * router (404/405, with Allow) instead of asking for a key it could never use.
   */
  routeExists?: (method: string, path: string) => boolean;
}

/** The key that authenticated this request, or null (an anonymous public read). */
export function apiKeyOf(ctx: Context): ApiKey | null {
  return (ctx.state.apiKey as ApiKey | undefined) ?? null;
}

/** 401 with the challenge RFC 6750 asks for; `error` says why a presented key was refused. */
export function unauthorized(
  ctx: Context,
  message: string,
  error?: 'invalid_token' | 'invalid_request',
): never {
  const challenge = error === undefined ? REALM : `${REALM}, error="${error}"`;
  return ctx.throw(401, message, { headers: { 'WWW-Authenticate': challenge } });
}

/**
 * Identifies the caller from `Authorization: Bearer <key>` and enforces the two global rules: every write
 * (any method but GET/HEAD/OPTIONS) needs a valid key, and with private reads so does every read outside
 * ALWAYS_PUBLIC. A presented key that is malformed, unknown, revoked or expired is a 401 even where no key
 * is needed: a client should learn its key is bad, not silently act anonymously. Roles are checked by routes.
 */
export function authenticate(options: AuthenticateOptions): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (header !== '') {
      const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
      if (!m) unauthorized(ctx, 'the Authorization header must be "Bearer <API key>"', 'invalid_request');
      const check = await verifyApiKey(options.db, m[1]!);
      if (!check.ok) {
        const why =
          check.reason === 'revoked'
            ? 'the API key has been revoked'
            : check.reason === 'expired'
              ? 'the API key has expired'
              : 'the API key is not valid';
        unauthorized(ctx, why, 'invalid_token');
      }
      ctx.state.apiKey = check.key;
    } else if (!SAFE_METHODS.has(ctx.method) && (options.routeExists?.(ctx.method, ctx.path) ?? true)) {
      unauthorized(ctx, 'this request changes data: send an API key as "Authorization: Bearer <key>"');
    } else if (
      !options.publicReads &&
      ctx.method !== 'OPTIONS' &&
      !ALWAYS_PUBLIC.some((p) => p.test(ctx.path))
    ) {
      unauthorized(ctx, 'reads need an API key here: send it as "Authorization: Bearer <key>"');
    }
    await next();
  };
}

/** The route needs a key of `role` (admin keys may do everything). Throws 401 without a key, 403 with another role. */
export function requireRole(ctx: Context, role: ApiKeyRole): ApiKey {
  const key = apiKeyOf(ctx);
  if (key === null) unauthorized(ctx, `this request needs an API key with the ${role} role`);
  if (key.role !== role && key.role !== 'admin') {
    return ctx.throw(
      403,
      `this request needs an API key with the ${role} role; this key has the ${key.role} role`,
      {
        headers: { 'WWW-Authenticate': `${REALM}, error="insufficient_scope"` },
      },
    );
  }
  return key;
}
