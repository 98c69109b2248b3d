/** An HTTP answer that was not a success, with the problem+json detail when the API sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly url: string;
  constructor(url: string, status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.url = url;
  }
}

/**
 * A request that got no answer at all (fetch rejected): the server is down, the network is, or the page's
 * Content-Security-Policy does not allow the host.
 */
export class NetworkError extends Error {
  readonly url: string;
  constructor(url: string) {
    super(`could not reach ${new URL(url).host}`);
    this.name = 'NetworkError';
    this.url = url;
  }
}

/** `path` (relative to the page, e.g. "api/sites") as an absolute URL on our own origin. */
export function apiUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

/**
 * GETs JSON from our API. A non-2xx answer throws an ApiError carrying the problem's `detail` (RFC 9457) or
 * the status text, so panels can say exactly what went wrong; no answer at all throws a NetworkError.
 */
export async function getJson(path: string, init: { signal?: AbortSignal } = {}): Promise<unknown> {
  const url = apiUrl(path);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/json, application/geo+json;q=0.9' },
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new NetworkError(url);
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = (await response.json()) as { detail?: unknown; title?: unknown };
      if (typeof problem.detail === 'string') detail = problem.detail;
      else if (typeof problem.title === 'string') detail = problem.title;
    } catch {
      // Not problem+json: the status text is all we have.
    }
    throw new ApiError(url, response.status, `${response.status} ${detail}`.trim());
  }
  return response.json();
}

/** A plain object, or an error naming what was expected. */
export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** A finite number or null (absent counts as null). Anything else is an error naming the field. */
export function numberOrNull(record: Record<string, unknown>, key: string, what: string): number | null {
  const value = record[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${what}.${key} is not a number`);
  return value;
}

export function requiredNumber(record: Record<string, unknown>, key: string, what: string): number {
  const value = numberOrNull(record, key, what);
  if (value === null) throw new Error(`${what}.${key} is missing`);
  return value;
}

export function stringOrNull(record: Record<string, unknown>, key: string, what: string): string | null {
  const value = record[key];
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error(`${what}.${key} is not a string`);
  return value;
}

export function requiredString(record: Record<string, unknown>, key: string, what: string): string {
  const value = stringOrNull(record, key, what);
  if (value === null) throw new Error(`${what}.${key} is missing`);
  return value;
}
