import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, gzip, gzipSync, constants as zlibConstants } from 'node:zlib';
import type { ContentCoding } from './content-encoding.ts';
import { LruCache } from './lru-cache.ts';
import { SingleFlight } from './single-flight.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Tiles up to this size are compressed on the calling thread: for the usual tile of a few kB, handing the
 * work to the libuv pool costs several times more CPU than compressing (measured by bench:tiles).
 */
const SYNC_COMPRESS_MAX_BYTES = 64 * 1024;

/**
 * gzip level of a tile compressed once and kept. Without a cache every request compresses its tile, and there
 * level 1 takes about a quarter less CPU for output 0.45 % larger (the 85 compressed tiles of bench:tiles:
 * 59–61 instead of 74–81 µs each, 185,086 instead of 184,259 bytes). Brotli keeps its quality either way:
 * below 5 its output grows by a ninth or more.
 */
const CACHED_GZIP_LEVEL = 6;
const UNCACHED_GZIP_LEVEL = 1;

/** What an entry costs beyond its bytes: key, ETags and bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Below this size a tile is sent uncompressed to clients that accept identity: compression would save less
 * than the response headers weigh, and costs more CPU than writing the tile.
 */
export const MIN_COMPRESS_BYTES = 1024;

/** What the client accepts: its preferred coding (negotiated), and whether identity is acceptable at all. */
export interface AcceptedCodings {
  preferred: ContentCoding;
  identity: boolean;
}

/** A tile ready to send in one coding: the bytes on the wire and their strong ETag (quoted). */
export interface TileBody {
  body: Buffer;
  etag: string;
  coding: ContentCoding;
}

/** One rendered tile: its bytes in each coding made so far, and the hash its ETags derive from. */
interface TileEntry {
  identity: Buffer;
  /** Hash of the identity bytes; a coding's ETag adds a suffix, since a strong ETag names exact bytes. */
  etagBase: string;
  encoded: Partial<Record<ContentCoding, TileBody>>;
}

type Slot = { entry: TileEntry | null };

/**
 * Rendered tiles in an LRU bounded by bytes, each compressed once (gzip and brotli) with its ETags made
 * up front, so a hit is a lookup. Keys include the data version of what the tile shows, so a new ingest or
 * analysis makes old entries unreachable at once (they age out), with no explicit invalidation. Concurrent
 * misses of one key render once. With a zero budget nothing is kept or shared: each request renders, and only
 * the coding asked for is made.
 */
export class TileCache {
  readonly #lru: LruCache<Slot>;
  readonly #rendering = new SingleFlight<Slot>();
  readonly #enabled: boolean;
  readonly #brotliQuality: number;
  readonly #gzipLevel: number;

  constructor(options: { maxBytes: number; brotliQuality?: number }) {
    this.#enabled = options.maxBytes > 0;
    this.#brotliQuality = options.brotliQuality ?? 5;
    this.#gzipLevel = this.#enabled ? CACHED_GZIP_LEVEL : UNCACHED_GZIP_LEVEL;
    this.#lru = new LruCache<Slot>({
      maxBytes: options.maxBytes,
      sizeOf: (slot) => ENTRY_OVERHEAD_BYTES + (slot.entry === null ? 0 : entryBytes(slot.entry)),
    });
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * A cached tile as the client accepts it, without waiting: the body, null for a cached empty tile,
   * undefined on a miss.
   */
  peek(key: string, accept: AcceptedCodings): TileBody | null | undefined {
    if (!this.#enabled) return undefined;
    const slot = this.#lru.get(key);
    if (slot === undefined) return undefined;
    if (slot.entry === null) return null;
    return slot.entry.encoded[codingFor(slot.entry, accept)];
  }

  /** The tile for `key` as the client accepts it (null: an empty tile), rendering it once if missing. */
  async get(
    key: string,
    accept: AcceptedCodings,
    render: () => Promise<Uint8Array | null>,
  ): Promise<TileBody | null> {
    if (!this.#enabled) {
      // Nothing to keep and, by the operator's choice, nothing to share: render and encode for this client.
      const bytes = await render();
      if (bytes === null || bytes.byteLength === 0) return null;
      const entry = newEntry(bytes);
      return this.#encode(entry, codingFor(entry, accept));
    }
    const cached = this.#lru.get(key);
    // A cached tile may lack the coding asked for (small tiles are kept uncompressed): made now, kept.
    if (cached !== undefined)
      return cached.entry === null ? null : this.#encode(cached.entry, codingFor(cached.entry, accept));
    const slot = await this.#rendering.run(key, async () => {
      const bytes = await render();
      const rendered: Slot = { entry: bytes === null || bytes.byteLength === 0 ? null : newEntry(bytes) };
      const entry = rendered.entry;
      if (entry !== null) {
        // Small tiles keep their compressed forms for the rare client that refuses identity, made then.
        const codings: readonly ContentCoding[] =
          entry.identity.byteLength < MIN_COMPRESS_BYTES ? ['identity'] : ALL_CODINGS;
        await Promise.all(codings.map((c) => this.#encode(entry, c)));
      }
      this.#lru.set(key, rendered);
      return rendered;
    });
    return slot.entry === null ? null : this.#encode(slot.entry, codingFor(slot.entry, accept));
  }

  clear(): void {
    this.#lru.clear();
  }

  get size(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.bytes;
  }

  /** The tile in `coding`, made now if it is missing: at once for a tile of a few kB, else in the libuv pool. */
  #encode(entry: TileEntry, coding: ContentCoding): TileBody | Promise<TileBody> {
    const done = entry.encoded[coding];
    if (done) return done;
    const input = entry.identity;
    if (coding === 'identity') return this.#store(entry, coding, input);
    if (input.byteLength <= SYNC_COMPRESS_MAX_BYTES) {
      const body =
        coding === 'gzip'
          ? gzipSync(input, gzipOptions(input.byteLength, this.#gzipLevel))
          : brotliCompressSync(input, brotliOptions(input.byteLength, this.#brotliQuality));
      return this.#store(entry, coding, body);
    }
    const compressed =
      coding === 'gzip'
        ? gzipAsync(input, gzipOptions(input.byteLength, this.#gzipLevel))
        : brotliAsync(input, brotliOptions(input.byteLength, this.#brotliQuality));
    return compressed.then((body) => this.#store(entry, coding, body));
  }

  #store(entry: TileEntry, coding: ContentCoding, body: Buffer): TileBody {
    // The suffix names the coding, and a gzip level other than the usual one: other bytes, another ETag.
    const suffix =
      coding === 'identity'
        ? ''
        : coding === 'gzip' && this.#gzipLevel !== CACHED_GZIP_LEVEL
          ? `-gzip${this.#gzipLevel}`
          : `-${coding}`;
    const encoded: TileBody = { body, etag: `"${entry.etagBase}${suffix}"`, coding };
    entry.encoded[coding] = encoded;
    return encoded;
  }
}

/**
 * zlib's defaults size the compressor for large streams (a 32 kB window and 64 kB hash, 256 kB per call),
 * which costs more than compressing a tile of a few kB. A window just over the input and a smaller hash give
 * the same output size for tiles (deflate never looks further back than the input) at a fraction of the
 * memory, allocated and freed on every call.
 */
function gzipOptions(
  inputBytes: number,
  level: number,
): { level: number; windowBits: number; memLevel: number } {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(inputBytes + 262))));
  return { level, windowBits, memLevel: Math.min(8, Math.max(5, windowBits - 6)) };
}

/** Brotli likewise: a window (lgwin) just over the input instead of the default 4 MB. */
function brotliOptions(inputBytes: number, quality: number) {
  return {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: quality,
      [zlibConstants.BROTLI_PARAM_LGWIN]: Math.min(24, Math.max(10, Math.ceil(Math.log2(inputBytes + 16)))),
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: inputBytes,
    },
  };
}

const ALL_CODINGS: readonly ContentCoding[] = ['identity', 'gzip', 'br'];

function codingFor(entry: TileEntry, accept: AcceptedCodings): ContentCoding {
  return accept.identity && entry.identity.byteLength < MIN_COMPRESS_BYTES ? 'identity' : accept.preferred;
}

function newEntry(bytes: Uint8Array): TileEntry {
  // A Buffer view, no copy: Koa sends Buffers as they are.
  const identity = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const etagBase = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  return { identity, etagBase, encoded: {} };
}

function entryBytes(entry: TileEntry): number {
  let bytes = entry.identity.byteLength;
  if (entry.encoded.gzip) bytes += entry.encoded.gzip.body.byteLength;
  if (entry.encoded.br) bytes += entry.encoded.br.body.byteLength;
  return bytes;
}
