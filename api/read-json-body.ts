import type { Context } from 'koa';
import { TidemarkError } from '../common/errors.ts';

/** Default limit of a JSON request body: zone polygons are the largest we take. */
export const DEFAULT_JSON_BODY_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Reads a JSON request body: 415 unless it is declared JSON, 413 past `maxBytes` (stopped as soon as it is
 * known, before the rest is buffered), 400 when it does not parse or holds text PostgreSQL cannot store (a NUL
 * character or a lone surrogate, in text or jsonb).
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
  // PostgreSQL text and jsonb hold neither U+0000 nor a lone surrogate (half of a UTF-16 pair), and JSON can
  // carry either only as a \u escape.
  const bad = text.includes('\\u') ? pathOfUnstorableText(body, []) : null;
  if (bad !== null) {
    const reason =
      'must be Unicode text without the NUL character (\\u0000) or a lone surrogate (\\ud800–\\udfff)';
    throw new TidemarkError('INVALID_INPUT', `Invalid body: ${bad}: ${reason}`, {
      details: { invalidParams: [{ name: bad, reason }] },
    });
  }
  return body;
}

/** Whether PostgreSQL can store a string as text and in jsonb. */
function storable(text: string): boolean {
  // With the u flag a well-formed pair is one code point, so \p{Cs} matches only a lone surrogate.
  return !text.includes('\0') && !/\p{Cs}/u.test(text);
}

/**
 * Where in a parsed JSON value a string or an object key cannot be stored (see storable), named as
 * validate() names parameters (`name`, `properties.owner`, `body` for the body itself); null if nowhere.
 */
function pathOfUnstorableText(value: unknown, path: string[]): string | null {
  const name = (p: string[]) => p.join('.') || 'body';
  if (typeof value === 'string') return storable(value) ? null : name(path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfUnstorableText(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (!storable(key)) return name([...path, JSON.stringify(key).slice(1, -1)]);
      const found = pathOfUnstorableText(v, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
