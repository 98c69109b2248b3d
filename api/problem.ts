import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { isTidemarkError } from '../common/errors.ts';

/** An RFC 9457 problem details object, plus our extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code?: string;
  errorId?: string;
  invalidParams?: unknown;
  [extension: string]: unknown;
}

export interface ProblemResult {
  problem: Problem;
  /** Set when the message is hidden (5xx): the same id is in the body and in the log line, so an operator can find the cause. */
  errorId?: string;
  /** Response headers the error asks for (e.g. Allow on a 405 from the router). */
  headers: Record<string, string>;
}

interface HttpErrorLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
  headers?: unknown;
}

/** Extension members a TidemarkError may pass through to clients; anything else in `details` stays server-side. */
const PUBLIC_DETAILS = ['invalidParams', 'limit', 'maxBytes', 'allowed'] as const;

function kebab(code: string): string {
  return code.toLowerCase().replaceAll('_', '-');
}

/**
 * Turns anything thrown in a request into problem+json. Client errors (4xx with `expose`) keep their message;
 * server errors get only the generic status title and an error id, because their messages may contain SQL, paths
 * or connection strings.
 */
export function toProblem(err: unknown, instance: string): ProblemResult {
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpErrorLike;
  const rawStatus =
    typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  const status = Number.isInteger(rawStatus) && rawStatus >= 400 && rawStatus <= 599 ? rawStatus : 500;
  const expose = status < 500 && e.expose !== false;
  const title = STATUS_CODES[status] ?? 'Error';
  const headers: Record<string, string> = {};
  if (status < 500 && typeof e.headers === 'object' && e.headers !== null) {
    for (const [k, v] of Object.entries(e.headers)) if (typeof v === 'string') headers[k] = v;
  }

  if (!expose) {
    const errorId = randomUUID();
    return {
      problem: {
        type: 'about:blank',
        title,
        status,
        detail: `The request could not be completed; quote error id ${errorId} when reporting it.`,
        instance,
        errorId,
      },
      errorId,
      headers,
    };
  }

  if (isTidemarkError(err)) {
    const problem: Problem = {
      type: `urn:tidemark:problem:${kebab(err.code)}`,
      title,
      status,
      detail: err.message,
      instance,
      code: err.code,
    };
    for (const key of PUBLIC_DETAILS) {
      if (err.details?.[key] !== undefined) problem[key] = err.details[key];
    }
    return { problem, headers };
  }

  // Koa/http-errors 4xx (404 from no route, 405 from the router, 400 from a bad URL encoding): safe to show.
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : title;
  return { problem: { type: 'about:blank', title, status, detail: message, instance }, headers };
}
