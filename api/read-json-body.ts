import type { Context } from 'koa';
import { TidemarkError } from '../common/errors.ts';

/** Default limit of a JSON request body: zone polygons are the largest we take. */
export const DEFAULT_JSON_BODY_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Reads a JSON request body: 415 unless it is declared JSON, 413 past `maxBytes` (stopped as soon as it is
 * known, before the rest is buffered), 400 when it does not parse or holds a NUL character (which PostgreSQL
 * cannot store, in text or jsonb).
 */
export async function readJsonBody(ctx: Context, maxBytes = DEFAULT_JSON_BODY_MAX_BYTES): Promise<unknown> {
  if (!ctx.is('application/json', '+json')) {
    throw new TidemarkError(
      'INVALID_INPUT',
      'send the request body as JSON (Content-Type: application/json)',
      {
        status: 415,
      },
    );
  }
  const tooLarge = () =>
    new TidemarkError('TOO_LARGE', `the request body is larger than ${maxBytes} bytes`, {
      details: { maxBytes },
    });
  const declared = Number(ctx.get('Content-Length') || '0');
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = ctx.req;
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Keep the connection usable: the rest of the body is read and dropped, not left unread.
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new TidemarkError('INVALID_INPUT', 'the request body ended early', { cause: err }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new TidemarkError('INVALID_INPUT', 'the request body is not valid JSON');
  }
  // PostgreSQL text and jsonb cannot hold U+0000; JSON can only carry it escaped.
  const nul = text.includes('\\u0000') ? pathOfNul(body, []) : null;
  if (nul !== null) {
    const reason = 'must not contain the NUL character (\\u0000)';
    throw new TidemarkError('INVALID_INPUT', `Invalid body: ${nul}: ${reason}`, {
      details: { invalidParams: [{ name: nul, reason }] },
    });
  }
  return body;
}

/**
 * Where in a parsed JSON value a string or an object key holds U+0000, named as validate() names parameters
 * (`name`, `properties.owner`, `body` for the body itself); null if nowhere.
 */
function pathOfNul(value: unknown, path: string[]): string | null {
  const name = (p: string[]) => p.join('.') || 'body';
  if (typeof value === 'string') return value.includes('\0') ? name(path) : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key.includes('\0')) return name([...path, key.replaceAll('\0', '\\u0000')]);
      const found = pathOfNul(v, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
