import { STATUS_CODES } from 'node:http';
import type { Middleware } from 'koa';
import type { Logger } from '../common/logger.ts';
import { type ProblemResult, toProblem } from './problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Seconds a client is asked to wait before retrying a request refused because the server is stopping. */
export const SHUTDOWN_RETRY_AFTER_S = 5;

/**
 * The error a request gets when the server is shutting down: a 503 whose reason is shown (it is not a fault),
 * with Retry-After, and `Connection: close` so the rest of a request body is not read.
 */
export function shuttingDownError(): Error {
  return Object.assign(new Error('the server is shutting down; retry the request shortly'), {
    status: 503,
    expose: true,
    headers: { 'Retry-After': String(SHUTDOWN_RETRY_AFTER_S), Connection: 'close' },
  });
}

/**
 * A 5xx that says its message is safe (`expose: true`, as http-errors allows), e.g. a 503 during shutdown:
 * the client sees the reason and the headers, and no error id, since there is nothing to look up.
 */
function exposedServerError(err: unknown, instance: string): ProblemResult | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { status?: unknown; expose?: unknown; message?: unknown; headers?: unknown };
  if (typeof e.status !== 'number' || e.status < 500 || e.status > 599 || e.expose !== true) return null;
  if (typeof e.message !== 'string') return null;
  const headers: Record<string, string> = {};
  if (typeof e.headers === 'object' && e.headers !== null) {
    for (const [k, v] of Object.entries(e.headers)) if (typeof v === 'string') headers[k] = v;
  }
  const title = STATUS_CODES[e.status] ?? 'Error';
  return {
    problem: { type: 'about:blank', title, status: e.status, detail: e.message, instance },
    headers,
  };
}

/**
 * The one error middleware: everything thrown below it, and every request no route answered, becomes RFC 9457
 * problem+json. It is the only place that decides what a client may see of an error.
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // An error status without a body (no route: 404; the router's 405/501, which set Allow) gets a problem too.
      if (ctx.status >= 400 && ctx.body == null) {
        const allow = ctx.response.get('Allow');
        const message =
          ctx.status === 404
            ? `No resource at ${ctx.path}`
            : ctx.status === 501
              ? `Method ${ctx.method} is not implemented`
              : `Method ${ctx.method} is not allowed here`;
        ctx.throw(ctx.status, message, allow ? { headers: { Allow: allow } } : {});
      }
    } catch (err) {
      const exposed = exposedServerError(err, ctx.path);
      const { problem, errorId, headers } = exposed ?? toProblem(err, ctx.path);
      if (exposed !== null) {
        // Expected (a shutdown, an overload), not a fault: no stack, and not at error level.
        logger.warn(
          { status: problem.status, detail: problem.detail, method: ctx.method, url: ctx.url },
          'request refused',
        );
      } else if (errorId !== undefined) {
        logger.error({ err, errorId, method: ctx.method, url: ctx.url }, 'request failed');
      } else {
        logger.debug({ status: problem.status, detail: problem.detail, url: ctx.url }, 'request rejected');
      }
      if (ctx.headerSent) {
        // Too late for a problem body: cut the connection so the client sees a failure, not a short success.
        ctx.res.destroy();
        return;
      }
      // Headers a handler set before failing (ETag, Content-Encoding, caching) describe a body we no longer send.
      for (const name of Object.keys(ctx.response.headers)) ctx.remove(name);
      ctx.set(headers);
      ctx.set('Cache-Control', 'no-store');
      ctx.status = problem.status;
      ctx.type = PROBLEM_CONTENT_TYPE;
      ctx.body = JSON.stringify(problem);
    }
  };
}
