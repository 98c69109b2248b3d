import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTidemarkError } from '../common/errors.ts';
import { hasTiffMagic, safeUploadFileName, saveSceneUpload } from './upload-scene.ts';

const TIFF_LE = Buffer.from([0x49, 0x49, 0x2a, 0x00]);
const BIGTIFF_BE = Buffer.from([0x4d, 0x4d, 0x00, 0x2b]);

function chunks(...parts: Buffer[]): Readable {
  return Readable.from(parts);
}

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('saveSceneUpload', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'tidemark-upload-test-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('streams a TIFF to a private temp file with its size and sha256, and removes it on request', async () => {
    const body = Buffer.concat([TIFF_LE, Buffer.alloc(10_000, 7)]);
    // The magic bytes arrive split over chunks: the check must still see them.
    const saved = await saveSceneUpload(
      chunks(body.subarray(0, 2), body.subarray(2, 3), body.subarray(3)),
      '../../etc/scene 2020.tif',
      { maxBytes: body.length, dir: parent },
    );
    expect(saved.fileName).toBe('scene_2020.tif');
    expect(saved.sizeBytes).toBe(body.length);
    expect(saved.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(await readFile(saved.path)).toEqual(body);
    expect(saved.path.startsWith(parent)).toBe(true);
    await saved.remove();
    await saved.remove();
    expect(await readdir(parent)).toEqual([]);
  });

  it('accepts BigTIFF', async () => {
    const saved = await saveSceneUpload(chunks(BIGTIFF_BE, Buffer.alloc(8)), 'big.tif', {
      maxBytes: 100,
      dir: parent,
    });
    await saved.remove();
    expect(saved.sizeBytes).toBe(12);
  });

  it.each([
    ['a PNG renamed .tif', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['text', Buffer.from('hello, this is not a tiff')],
    ['an empty file', Buffer.alloc(0)],
    ['three bytes of a TIFF header', TIFF_LE.subarray(0, 3)],
  ])('refuses %s with 415 NOT_A_TIFF and leaves nothing on disk', async (_name, body) => {
    const err = await rejection(saveSceneUpload(chunks(body), 'scene.tif', { maxBytes: 1000, dir: parent }));
    expect(isTidemarkError(err) && err.code).toBe('NOT_A_TIFF');
    expect((err as { status: number }).status).toBe(415);
    expect(await readdir(parent)).toEqual([]);
  });

  it('stops at one byte over the limit with 413 TOO_LARGE and leaves nothing on disk', async () => {
    const err = await rejection(
      saveSceneUpload(chunks(TIFF_LE, Buffer.alloc(96), Buffer.alloc(1)), 'x.tif', {
        maxBytes: 100,
        dir: parent,
      }),
    );
    expect(isTidemarkError(err) && err.code).toBe('TOO_LARGE');
    expect((err as { status: number }).status).toBe(413);
    expect(await readdir(parent)).toEqual([]);
    const exact = await saveSceneUpload(chunks(TIFF_LE, Buffer.alloc(96)), 'x.tif', {
      maxBytes: 100,
      dir: parent,
    });
    expect(exact.sizeBytes).toBe(100);
    await exact.remove();
  });

  it('removes the partial file when the source fails midway (a truncated request)', async () => {
    const source = new Readable({ read() {} });
    const saving = saveSceneUpload(source, 'x.tif', { maxBytes: 1000, dir: parent });
    source.push(Buffer.concat([TIFF_LE, Buffer.alloc(50)]));
    source.destroy(new Error('client went away'));
    expect(((await rejection(saving)) as Error).message).toBe('client went away');
    expect(await readdir(parent)).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxBytes %s', async (maxBytes) => {
    const err = await rejection(saveSceneUpload(chunks(TIFF_LE), 'x.tif', { maxBytes, dir: parent }));
    expect(isTidemarkError(err) && err.code).toBe('INVALID_INPUT');
  });
});

describe('hasTiffMagic and safeUploadFileName', () => {
  it('knows the four TIFF/BigTIFF headers and nothing else', () => {
    for (const head of [
      [0x49, 0x49, 0x2a, 0],
      [0x4d, 0x4d, 0, 0x2a],
      [0x49, 0x49, 0x2b, 0],
      [0x4d, 0x4d, 0, 0x2b],
    ]) {
      expect(hasTiffMagic(Uint8Array.from(head))).toBe(true);
    }
    expect(hasTiffMagic(Uint8Array.from([0x49, 0x49, 0x2a]))).toBe(false);
    expect(hasTiffMagic(Uint8Array.from([0x4d, 0x4d, 0x2a, 0]))).toBe(false);
  });

  it('keeps a safe basename and leaves its input unchanged', () => {
    const input = 'C:\\scenes\\..\\Ca Mau 2020 (v2).TIF';
    expect(safeUploadFileName(input)).toBe('Ca_Mau_2020__v2_.TIF');
    expect(input).toBe('C:\\scenes\\..\\Ca Mau 2020 (v2).TIF');
    expect(safeUploadFileName(undefined)).toBe('upload.tif');
    expect(safeUploadFileName('...')).toBe('upload.tif');
    expect(safeUploadFileName('.hidden.tif')).toBe('hidden.tif');
    expect(safeUploadFileName(`${'a'.repeat(300)}.tif`)).toHaveLength(100);
  });
});
