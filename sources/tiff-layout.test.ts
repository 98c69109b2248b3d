import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { makeBadTiff, TILE_BOMB_PX } from '../fixtures/bad/make-bad-tiff.ts';
import { patchTagNumber } from '../fixtures/bad/tiff-patch.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { type OpenGeoTiffOptions, openGeoTiffSource } from './geotiff-source.ts';
import {
  type BlockShape,
  checkBlockSize,
  decodedBlockBytes,
  decodeErrorText,
  MAX_BLOCK_BYTES,
  MAX_TILE_PIXELS,
} from './tiff-layout.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-tiff-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens GeoTIFF bytes as a scene file of that name. */
function openBytes(name: string, bytes: Uint8Array, options: OpenGeoTiffOptions = {}) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return openGeoTiffSource(path, options);
}

function rejection(block: BlockShape, maxPixels = 2e9): TidemarkError {
  try {
    checkBlockSize('scene.tif', block, maxPixels);
  } catch (err) {
    expect(err).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error('expected the block size to be rejected');
}

describe('checkBlockSize', () => {
  const tile = (side: number, samples = 3): BlockShape => ({
    tiled: true,
    width: side,
    height: side,
    samples,
    kind: 'uint16',
  });

  it('accepts ordinary tiles and strips', () => {
    for (const side of [128, 256, 512, 1024, 2048, 4096])
      expect(() => checkBlockSize('scene.tif', tile(side, 1), 2e9)).not.toThrow();
    // A Sentinel-2 band as GDAL writes strips, and a Landsat band in one 1 MB strip of 64 rows.
    const strip = { tiled: false, samples: 4, kind: 'uint16' } as const;
    expect(() => checkBlockSize('s2.tif', { ...strip, width: 10980, height: 1 }, 2e9)).not.toThrow();
    expect(() => checkBlockSize('l8.tif', { ...strip, width: 7811, height: 64 }, 2e9)).not.toThrow();
  });

  it('rejects a tile over --max-pixels, naming the tile size, the limit and the fix', () => {
    const err = rejection(tile(TILE_BOMB_PX), 1e6);
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toBe(
      'scene.tif has 16384×16384-pixel tiles: decoding one means 2.68e+8 pixels, over the limit of 1.00e+6 ' +
        '(--max-pixels); retile it with smaller tiles, e.g. gdal_translate -co TILED=YES -co BLOCKXSIZE=512 ' +
        '-co BLOCKYSIZE=512 in.tif out.tif',
    );
  });

  it('lets tiles up to 1024×1024 through a small --max-pixels (the raster limit still applies)', () => {
    expect(() => checkBlockSize('cog.tif', tile(1024), 1e6)).not.toThrow();
    expect(rejection(tile(2048), 1e6).message).toMatch(/2048×2048-pixel tiles.*--max-pixels/);
  });

  it('rejects tiles over 4096×4096 whatever --max-pixels says: extraction windows are whole tiles', () => {
    expect(MAX_TILE_PIXELS).toBe(4096 * 4096);
    const err = rejection(tile(4112, 1));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toMatch(
      /has 4112×4112-pixel tiles, larger than the 4096×4096 pixels a tile may have/,
    );
  });

  it('rejects a strip that decodes to more than 256 MiB, advising a tiled copy', () => {
    const err = rejection({ tiled: false, width: 20000, height: 20000, samples: 1, kind: 'uint16' }, 1e9);
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toBe(
      'scene.tif has 20000×20000-pixel strips: one decodes to 763 MiB, over the 256 MiB a block may take; ' +
        'rewrite it tiled, e.g. gdal_translate -co TILED=YES in.tif out.tif',
    );
    // Four float64 bands interleaved in 4096² tiles: within the pixel limit, over the byte limit.
    expect(rejection({ ...tile(4096, 4), kind: 'float64' }).message).toMatch(/one decodes to 512 MiB/);
  });

  it('leaves an invalid block size to the layout check', () => {
    expect(() => checkBlockSize('scene.tif', tile(0), 2e9)).not.toThrow();
    expect(() => checkBlockSize('scene.tif', tile(Number.NaN), 2e9)).not.toThrow();
  });
});

describe('decodedBlockBytes', () => {
  it('sizes interleaved and planar blocks, and 1-bit masks', () => {
    expect(decodedBlockBytes({ tileWidth: 256, tileHeight: 256, bitsPerSample: [16, 16, 16] })).toBe(393216);
    expect(
      decodedBlockBytes({ tileWidth: 256, tileHeight: 256, planarConfiguration: 2, bitsPerSample: [16, 16] }),
    ).toBe(131072);
    // One BitsPerSample value for all samples.
    expect(decodedBlockBytes({ tileWidth: 10, tileHeight: 2, bitsPerSample: [8], samplesPerPixel: 3 })).toBe(
      60,
    );
    // Rows of a 1-bit mask are padded to whole bytes.
    expect(decodedBlockBytes({ tileWidth: 10, tileHeight: 3, bitsPerSample: 1 })).toBe(6);
  });

  it('is capped: geotiff.js passes RowsPerStrip as read, 2³²−1 for one strip', () => {
    expect(decodedBlockBytes({ tileWidth: 512, tileHeight: 2 ** 32 - 1, bitsPerSample: [1] })).toBe(
      MAX_BLOCK_BYTES,
    );
    expect(decodedBlockBytes({ tileWidth: Number.NaN, tileHeight: 1, bitsPerSample: [8] })).toBe(
      MAX_BLOCK_BYTES,
    );
  });
});

describe('decodeErrorText', () => {
  it('gives the reason whatever a decoder throws (lerc throws strings)', () => {
    expect(decodeErrorText(new Error('invalid block type'))).toBe('invalid block type');
    expect(decodeErrorText('Checksum failed.')).toBe('Checksum failed.');
    expect(decodeErrorText(undefined)).toBe('the decoder gives no reason');
    expect(decodeErrorText(new Error(''))).toBe('the decoder gives no reason');
  });
});

describe('the block size of a real GeoTIFF is checked before anything is decoded', () => {
  it('rejects the tile bomb (a 192² scene in 16384² tiles) with TOO_LARGE', async () => {
    const err = await openBytes('tile-bomb.tif', makeBadTiff('tile-bomb')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('TOO_LARGE');
    expect((err as Error).message).toMatch(/^tile-bomb\.tif has 16384×16384-pixel tiles, larger than/);
    const small = await openBytes('tile-bomb.tif', makeBadTiff('tile-bomb'), { maxPixels: 1e6 }).catch(
      (e: unknown) => e,
    );
    expect((small as Error).message).toMatch(
      /2\.68e\+8 pixels, over the limit of 1\.00e\+6 \(--max-pixels\)/,
    );
  });

  it('reads a strip-organised scene with sensible strips, and rejects one whose single strip is huge', async () => {
    const n = 64;
    const band = Uint16Array.from({ length: n * n }, (_, i) => 500 + (i % 97));
    const options = {
      width: n,
      height: n,
      bands: [band, band, band],
      bandDescriptions: ['B03', 'B08', 'B11'],
      epsg: 32648,
      geoTransform: [470000, 10, 0, 960000, 0, -10] as const,
      layout: 'strips' as const,
      planar: 'pixel' as const,
    };
    const source = await openBytes('strips.tif', encodeGeoTiff({ ...options, rowsPerStrip: 8 }));
    const read = await source.readWindow({ x0: 0, y0: 0, x1: n, y1: n }, ['green']);
    expect(Array.from(read.green)).toEqual(Array.from(band));
    await source.close();
    // The same file claiming 16384 × 16384 pixels in one strip: 1.5 GiB to decode it.
    const bomb = encodeGeoTiff({ ...options, rowsPerStrip: n });
    for (const tag of [256, 257, 278]) patchTagNumber(bomb, tag, 16384);
    const err = await openBytes('one-strip.tif', bomb).catch((e: unknown) => e);
    expect((err as TidemarkError).code).toBe('TOO_LARGE');
    expect((err as Error).message).toMatch(
      /^one-strip\.tif has 16384×16384-pixel strips: one decodes to 1536 MiB, .* gdal_translate -co TILED=YES/,
    );
  });
});
