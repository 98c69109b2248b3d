import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import type { Context } from 'koa';
import { TidemarkError } from '../../common/errors.ts';
import { negotiateEncoding } from '../content-encoding.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Below this, compression costs more than it saves. */
const MIN_COMPRESS_BYTES = 1024;

/**
 * Sends a JSON (or HTML) document with the given media type, compressed with the coding the client prefers.
 * Feature pages are built once per request, so only the chosen coding is computed (at a fast level).
 */
export async function sendOgcBody(
  ctx: Context,
  body: unknown,
  contentType: string,
  cacheControl = 'no-cache',
): Promise<void> {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const coding =
    bytes.byteLength < MIN_COMPRESS_BYTES
      ? negotiateEncoding(`${ctx.get('Accept-Encoding')}, br;q=0, gzip;q=0`)
      : negotiateEncoding(ctx.get('Accept-Encoding') || undefined);
  if (coding === null) {
    throw new TidemarkError('INVALID_INPUT', 'None of the content codings in Accept-Encoding is available', {
      status: 406,
      details: { allowed: ['br', 'gzip', 'identity'] },
    });
  }
  let payload: Buffer = bytes;
  if (coding === 'gzip') payload = await gzipAsync(bytes, { level: 5 });
  if (coding === 'br') {
    payload = await brotliAsync(bytes, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 4,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    });
  }
  ctx.vary('Accept-Encoding');
  ctx.set('Cache-Control', cacheControl);
  ctx.status = 200;
  ctx.type = contentType;
  if (coding !== 'identity') ctx.set('Content-Encoding', coding);
  ctx.body = payload;
}
