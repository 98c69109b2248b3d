import type { Context } from 'koa';
import { TidemarkError } from '../common/errors.ts';

/** Default limit of a JSON request body: zone polygons are the largest we take. */
export const DEFAULT_JSON_BODY_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Reads a JSON request body: 415 unless it is declared JSON, 413 past `maxBytes` (stopped as soon as it is
 * known, before the rest is buffered), 400 when it does not parse.
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
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TidemarkError('INVALID_INPUT', 'the request body is not valid JSON');
  }
}
