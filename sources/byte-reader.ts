import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GeoTIFF } from 'geotiff';
import { TidemarkError } from '../common/errors.ts';
import { fileErrorText } from '../common/file-error-text.ts';
import { geotiffLib } from './geotiff-lib.ts';

/** Random access to a scene's bytes, from a local file or an http(s) COG through range requests. */
export interface ByteReader {
  /** Where the bytes come from, for messages. */
  readonly location: string;
  readonly size: number;
  /** Exactly `length` bytes from `offset`, or fewer at end of data. */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
  /** geotiff.js's own view of the same bytes, for parsing directories. */
  openTiff(): Promise<GeoTIFF>;
  close(): Promise<void>;
}

export function isHttpUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * The local path a location names: a path as given, or a file:// URL's path. Any other URL scheme (ftp:,
 * s3:…) is UNSUPPORTED rather than looked up as a file name. http(s) URLs are the caller's to handle first.
 */
export function localPath(location: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (scheme === undefined) return location;
  if (scheme === 'file') {
    try {
      return fileURLToPath(location);
    } catch (err) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `${location} is not a valid file:// URL (${(err as Error).message})`,
      );
    }
  }
  throw new TidemarkError(
    'UNSUPPORTED',
    `${location}: unsupported URL scheme ${scheme}: (use a local path, file:// or http(s)://)`,
  );
}

/**
 * Why a fetch failed. Node's fetch says only "fetch failed" and keeps the reason in `cause` (connect
 * ECONNREFUSED …, getaddrinfo ENOTFOUND …); several addresses tried give an AggregateError there.
 */
export function fetchErrorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error ? err.cause : undefined;
  if (!(cause instanceof Error)) return message;
  const code = (cause as NodeJS.ErrnoException).code;
  const parts =
    cause instanceof AggregateError && cause.message === ''
      ? cause.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e)))
      : [cause.message];
  let reason = [...new Set(parts.filter((p) => p !== ''))].join('; ');
  if (code !== undefined && !reason.includes(code)) reason = reason === '' ? code : `${code}: ${reason}`;
  return reason === '' ? message : `${message} (${reason})`;
}

class FileByteReader implements ByteReader {
  private fd: number | null = null;

  constructor(
    readonly location: string,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (this.fd === null) this.fd = openSync(this.location, 'r');
    const out = new Uint8Array(length);
    const got = readSync(this.fd, out, 0, length, offset);
    return got === length ? out : out.subarray(0, got);
  }

  async openTiff(): Promise<GeoTIFF> {
    return (await geotiffLib()).fromFile(this.location);
  }

  async close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

class HttpByteReader implements ByteReader {
  constructor(
    readonly location: string,
    readonly size: number,
  ) {}

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size) - 1;
    if (end < offset) return new Uint8Array(0);
    const response = await request(this.location, { Range: `bytes=${offset}-${end}` }, signal);
    if (response.status !== 206) {
      await response.body?.cancel();
      throw new TidemarkError(
        'UNSUPPORTED',
        `${this.location} does not answer range requests (HTTP ${response.status}); a COG server must support them`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  async openTiff(): Promise<GeoTIFF> {
    return (await geotiffLib()).fromUrl(this.location, { allowFullFile: false });
  }

  async close(): Promise<void> {}
}

async function request(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { headers, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new TidemarkError('INVALID_INPUT', `cannot fetch ${url}: ${fetchErrorText(err)}`, { cause: err });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new TidemarkError('NOT_FOUND', `cannot read scene ${url}: HTTP 404`);
  }
  if (response.status >= 400) {
    await response.body?.cancel();
    throw new TidemarkError('INVALID_INPUT', `cannot read scene ${url}: HTTP ${response.status}`);
  }
  return response;
}

/**
 * A reader of bytes already known to exist, e.g. in a worker restoring a source the main thread opened
 * (source-snapshot.ts): no request or stat, the file is opened on the first read.
 */
export function knownByteReader(location: string, size: number): ByteReader {
  return isHttpUrl(location) ? new HttpByteReader(location, size) : new FileByteReader(location, size);
}

/**
 * Opens a local path, a file:// URL or an http(s) URL; NOT_FOUND when it does not exist, UNSUPPORTED for
 * any other URL scheme.
 */
export async function openByteReader(location: string): Promise<ByteReader> {
  if (isHttpUrl(location)) {
    // The total size comes from Content-Range; a first small range also proves ranges work.
    const response = await request(location, { Range: 'bytes=0-0' });
    await response.body?.cancel();
    const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '');
    if (response.status !== 206 || !total) {
      throw new TidemarkError(
        'UNSUPPORTED',
        `${location} does not answer range requests (HTTP ${response.status}); a COG server must support them`,
      );
    }
    return new HttpByteReader(location, Number(total[1]));
  }
  const path = localPath(location);
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new TidemarkError('INVALID_INPUT', `${location} is not a regular file`);
    return new FileByteReader(path, st.size);
  } catch (err) {
    if (err instanceof TidemarkError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new TidemarkError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT',
      `cannot read scene ${location}: ${fileErrorText(err)}`,
      { cause: err },
    );
  }
}
