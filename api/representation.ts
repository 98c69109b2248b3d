import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import type { Context } from 'koa';
import { TidemarkError } from '../common/errors.ts';
import { type ContentCoding, negotiateEncoding } from './content-encoding.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** One resource's bytes in every coding we offer, with a validator computed from the identity bytes. */
export interface Representation {
  identity: Uint8Array;
  gzip: Uint8Array | null;
  br: Uint8Array | null;
  /** Hash of the identity bytes; each coding's ETag adds a suffix, since strong ETags name exact bytes. */
  etagBase: string;
}

/** Below this, compression costs more than it saves (headers dominate). */
const MIN_COMPRESS_BYTES = 256;

/**
 * Precomputes gzip and brotli forms once, so serving a cached resource is a lookup. Brotli quality trades build
 * time for size: dynamic tiles use a mid level, static assets (compressed once per server) a high one.
 */
export async function createRepresentation(
  bytes: Uint8Array,
  options: { brotliQuality?: number } = {},
): Promise<Representation> {
  const etagBase = createHash('sha256').update(bytes).digest('base64url').slice(0, 27);
  if (bytes.byteLength < MIN_COMPRESS_BYTES) return { identity: bytes, gzip: null, br: null, etagBase };
  const [gz, br] = await Promise.all([
    gzipAsync(bytes, { level: 6 }),
    brotliAsync(bytes, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? 5,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }),
  ]);
  return { identity: bytes, gzip: gz, br, etagBase };
}

export function representationBytes(rep: Representation): number {
  return rep.identity.byteLength + (rep.gzip?.byteLength ?? 0) + (rep.br?.byteLength ?? 0);
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison, and `*` matches any current representation. */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * Sends a representation with content negotiation, a strong ETag per coding, `Vary: Accept-Encoding`, and a 304
 * when the client already holds these bytes.
 */
export function sendRepresentation(
  ctx: Context,
  rep: Representation,
  headers: { contentType: string; cacheControl: string },
): void {
  const available: ContentCoding[] = ['identity'];
  if (rep.br !== null) available.push('br');
  if (rep.gzip !== null) available.push('gzip');
  // Small bodies have only the identity form.
  const coding = negotiateEncoding(ctx.get('Accept-Encoding') || undefined, available);
  if (coding === null) {
    throw new TidemarkError('INVALID_INPUT', 'None of the content codings in Accept-Encoding is available', {
      status: 406,
      details: { allowed: ['br', 'gzip', 'identity'] },
    });
  }
  const body = coding === 'br' ? rep.br! : coding === 'gzip' ? rep.gzip! : rep.identity;
  const etag = `"${rep.etagBase}${coding === 'identity' ? '' : `-${coding}`}"`;

  ctx.vary('Accept-Encoding');
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', headers.cacheControl);
  if (noneMatch(ctx.get('If-None-Match') || undefined, etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = headers.contentType;
  if (coding !== 'identity') ctx.set('Content-Encoding', coding);
  ctx.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
