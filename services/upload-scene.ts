import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TidemarkError } from '../common/errors.ts';
import { currentProcessStamp, stampAlive } from '../common/process-alive.ts';

/** An uploaded scene saved to a private temporary directory; `remove()` deletes it (idempotent). */
export interface SavedUpload {
  path: string;
  /** The client's file name, reduced to a safe basename (it becomes the scene's stored file name). */
  fileName: string;
  sizeBytes: number;
  /** Lowercase hex sha256 of the bytes, computed while they streamed in. */
  sha256: string;
  remove(): Promise<void>;
}

export interface SaveUploadOptions {
  /** Bytes allowed; one more is TOO_LARGE (413). */
  maxBytes: number;
  /** Parent of the per-upload temporary directories; default TIDEMARK_UPLOAD_DIR, else the OS temp dir. */
  dir?: string;
}

/** Default upload limit in bytes: TIDEMARK_UPLOAD_MAX_MB (default 2048 MB). */
export function defaultUploadMaxBytes(): number {
  const raw = process.env.TIDEMARK_UPLOAD_MAX_MB;
  const mb = raw === undefined || raw === '' ? 2048 : Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `TIDEMARK_UPLOAD_MAX_MB must be a positive number of megabytes, got '${raw}'`,
    );
  }
  return Math.floor(mb * 1024 * 1024);
}

export function defaultUploadDir(): string {
  return process.env.TIDEMARK_UPLOAD_DIR || tmpdir();
}

/** Every upload directory's name starts with this; nothing else is ever removed as an upload. */
export const UPLOAD_DIR_PREFIX = 'tidemark-upload-';

/** The host in upload directory names: the characters a file name can always hold. */
function hostTag(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9.]/g, '_')
      .slice(0, 64) || 'host'
  );
}

/** `tidemark-upload-<host>-<pid>-<start>-XXXXXX`: whose upload it is, so one its process left is found. */
function uploadDirPrefix(): string {
  const own = currentProcessStamp();
  return `${UPLOAD_DIR_PREFIX}${hostTag()}-${own.pid}-${own.start ?? 'x'}-`;
}

const OWNED_UPLOAD_DIR = /^tidemark-upload-(.+)-(\d+)-(\d+|x)-[A-Za-z0-9]{6}$/;

/**
 * Removes the upload directories under `parent` whose process is gone: this host's uploads cut short by a
 * crash or a kill (before their job existed, or while it ran). Directories of other hosts (a shared
 * folder), of live processes, and of other names are left alone. Returns the paths removed.
 */
export async function removeOrphanUploads(parent: string = defaultUploadDir()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const host = hostTag();
  const removed: string[] = [];
  for (const name of names) {
    const owner = OWNED_UPLOAD_DIR.exec(name);
    if (owner === null || owner[1] !== host) continue;
    const stamp = { pid: Number(owner[2]), start: owner[3] === 'x' ? null : owner[3]! };
    if (stampAlive(stamp)) continue;
    const path = join(parent, name);
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

// Classic TIFF and BigTIFF, little- and big-endian (TIFF 6.0 §2; BigTIFF: version 43).
const TIFF_MAGICS = [
  Buffer.from([0x49, 0x49, 0x2a, 0x00]),
  Buffer.from([0x4d, 0x4d, 0x00, 0x2a]),
  Buffer.from([0x49, 0x49, 0x2b, 0x00]),
  Buffer.from([0x4d, 0x4d, 0x00, 0x2b]),
];

export function hasTiffMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const first = Buffer.from(head.buffer, head.byteOffset, 4);
  return TIFF_MAGICS.some((m) => m.equals(first));
}

/** A client file name as a safe basename: no directories, no odd characters, bounded length. */
export function safeUploadFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.]+/, '');
  const bounded = cleaned.slice(-100);
  return bounded === '' ? 'upload.tif' : bounded;
}

/**
 * Counts, hashes and checks the bytes as they pass: the first four must be a TIFF header, whatever the
 * file is called, and more than `maxBytes` stops the stream. Both fail before the rest is written.
 */
class UploadGuard extends Transform {
  readonly hash = createHash('sha256');
  sizeBytes = 0;
  private head = Buffer.alloc(0);
  private checked = false;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.sizeBytes += chunk.length;
    if (this.sizeBytes > this.maxBytes) {
      done(
        new TidemarkError('TOO_LARGE', `the upload is larger than the limit of ${this.maxBytes} bytes`, {
          details: { maxBytes: this.maxBytes },
        }),
      );
      return;
    }
    if (!this.checked) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length >= 4) {
        this.checked = true;
        if (!hasTiffMagic(this.head)) {
          done(notATiff());
          return;
        }
      }
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.checked ? null : notATiff());
  }
}

function notATiff(): TidemarkError {
  return new TidemarkError(
    'NOT_A_TIFF',
    'the uploaded file is not a TIFF or BigTIFF (its first bytes are not a TIFF header)',
    { status: 415 },
  );
}

/**
 * Streams an uploaded scene to a fresh private temporary directory, computing its sha256 and enforcing the
 * size limit and the TIFF magic bytes on the way. On any failure (including an error of the source stream,
 * e.g. a truncated request) nothing is left on disk and the error is rethrown.
 */
export async function saveSceneUpload(
  source: Readable,
  clientFileName: string | undefined,
  opts: SaveUploadOptions,
): Promise<SavedUpload> {
  if (!Number.isInteger(opts.maxBytes) || opts.maxBytes <= 0) {
    throw new TidemarkError('INVALID_INPUT', `maxBytes must be a positive integer, got ${opts.maxBytes}`);
  }
  // The source may fail while the directory is made (a client gone): keep that error rather than crash.
  let earlyError: unknown = null;
  const onEarlyError = (err: unknown) => {
    earlyError ??= err;
  };
  source.on('error', onEarlyError);
  const parent = opts.dir ?? defaultUploadDir();
  let dir: string;
  try {
    await mkdir(parent, { recursive: true });
    dir = await mkdtemp(join(parent, uploadDirPrefix()));
  } catch (err) {
    source.off('error', onEarlyError);
    throw err;
  }
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await rm(dir, { recursive: true, force: true });
  };
  const fileName = safeUploadFileName(clientFileName);
  const path = join(dir, fileName);
  const guard = new UploadGuard(opts.maxBytes);
  try {
    if (earlyError !== null) throw earlyError;
    await pipeline(source, guard, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await remove();
    throw err;
  } finally {
    source.off('error', onEarlyError);
  }
  return { path, fileName, sizeBytes: guard.sizeBytes, sha256: guard.hash.digest('hex'), remove };
}
