import type { Middleware } from 'koa';
import type { Logger } from '../common/logger.ts';
import { toProblem } from './problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

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
      const { problem, errorId, headers } = toProblem(err, ctx.path);
      if (errorId !== undefined) {
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
