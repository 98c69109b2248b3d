import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromFile } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { openGeoTiffSource } from './geotiff-source.ts';
import { convertYCbCrBlock } from './jpeg-ycbcr.ts';

/** libjpeg's conversion of one pixel (jdcolor.c), in floating point: its tables round the same products. */
function rgbOf(y: number, cb: number, cr: number): number[] {
  const c = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  return [
    c(y + 1.402 * (cr - 128)),
    c(y - 0.34414 * (cb - 128) - 0.71414 * (cr - 128)),
    c(y + 1.772 * (cb - 128)),
  ];
}

/** A block as geotiff.js decodes it: Y per pixel, and each chroma sample repeated over its subX×subY group. */
function ycbcrBlock(
  width: number,
  height: number,
  subX: number,
  subY: number,
  luma: (x: number, y: number) => number,
  chroma: (i: number, j: number) => [number, number],
): Uint8Array {
  const block = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [cb, cr] = chroma(Math.floor(x / subX), Math.floor(y / subY));
      block.set([luma(x, y), cb, cr], (y * width + x) * 3);
    }
  }
  return block;
}

describe('convertYCbCrBlock', () => {
  it('converts with libjpeg’s coefficients', () => {
    for (const [y, cb, cr] of [
      [0, 128, 128],
      [255, 128, 128],
      [100, 60, 200],
      [30, 250, 10],
      [200, 0, 255],
    ] as const) {
      const block = Uint8Array.of(y, cb, cr);
      convertYCbCrBlock(block, 1, 1, 1);
      expect(Array.from(block), `${y} ${cb} ${cr}`).toEqual(rgbOf(y, cb, cr));
    }
  });

  it('upsamples 2×2 chroma with libjpeg’s triangle filter, repeating edges', () => {
    // Chroma 0 and 200 in alternate columns: between them the filter blends 3:1 towards the nearer sample.
    const block = ycbcrBlock(
      8,
      4,
      2,
      2,
      () => 128,
      (i) => [i % 2 === 0 ? 0 : 200, 128],
    );
    convertYCbCrBlock(block, 8, 2, 2);
    const blue = Array.from({ length: 8 }, (_, x) => block[x * 3 + 2]!);
    // libjpeg h2v2_fancy_upsample on columns 0, 200, 0, 200 (rows equal): 0, 50, 150, 150, 50, 50, 150, 200.
    const cb = [0, 50, 150, 150, 50, 50, 150, 200];
    expect(blue).toEqual(cb.map((v) => rgbOf(128, v, 128)[2]));
    // Rows are all alike, so every row converts the same.
    for (let y = 1; y < 4; y++)
      expect(Array.from(block.subarray(y * 24, y * 24 + 24))).toEqual(Array.from(block.subarray(0, 24)));
  });

  it('blends 2×2 chroma rows 3:1 towards the nearer one', () => {
    const block = ycbcrBlock(
      2,
      4,
      2,
      2,
      () => 128,
      (_, j) => [128, j === 0 ? 40 : 200],
    );
    convertYCbCrBlock(block, 2, 2, 2);
    const red = Array.from({ length: 4 }, (_, y) => block[y * 6]!);
    // Cr rows 40, 200 → output rows (4·3·40+4·40+8)>>4 = 40, (3·40+200)·4+7 >> 4 = 80, 160, 200.
    expect(red).toEqual([40, 80, 160, 200].map((cr) => rgbOf(128, 128, cr)[0]));
  });

  it('upsamples 2×1 chroma across only', () => {
    const block = ycbcrBlock(
      4,
      2,
      2,
      1,
      () => 128,
      (i, j) => [128, i === 0 ? 0 : j === 0 ? 100 : 200],
    );
    convertYCbCrBlock(block, 4, 2, 1);
    // Row 0: Cr 0, 100 → 0, (0·3+100+2)>>2 = 25, (100·3+0+1)>>2 = 75, 100. Row 1: 0, 50, 150, 200.
    expect(Array.from({ length: 8 }, (_, p) => block[p * 3]!)).toEqual(
      [0, 25, 75, 100, 0, 50, 150, 200].map((cr) => rgbOf(128, 128, cr)[0]),
    );
  });
});

const COGEO = fileURLToPath(
  new URL('../../shared/data/geotiff-corpus/peers/rasterio/cogeo.tif', import.meta.url),
);
const corpus = existsSync(COGEO);
if (!corpus) console.warn(`SKIPPED: ${COGEO} not found, so a real YCbCr JPEG COG is not read`);

describe.skipIf(!corpus)('a YCbCr JPEG GeoTIFF reads as GDAL reads it', () => {
  it('regression: rasterio/cogeo.tif read luma and chroma as red, green and blue', async () => {
    const source = await openGeoTiffSource(COGEO, { bands: { green: 1, nir: 2, swir16: 3 } });
    const { width, height } = source.info;
    const read = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    await source.close();
    // GDAL 3.6's band means (gdal.Open(…).GetRasterBand(b).ReadAsArray().mean(); no pixel is masked). The
    // file as read before: 118.23, 132.99, 122.16. Inverse-DCT rounding differs from libjpeg's by ≤ 3 a pixel.
    const gdalMeans = [109.9727, 120.6681, 126.9543];
    (['green', 'nir', 'swir16'] as const).forEach((band, b) => {
      const values = read[band];
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      expect(Math.abs(mean - gdalMeans[b]!), band).toBeLessThan(0.25);
    });
  });
});

const gdal = spawnSync('gdal_translate', ['--version']).status === 0;
if (!gdal) console.warn('SKIPPED: gdal_translate is not installed, so YCbCr JPEG is not compared with GDAL');

describe.skipIf(!gdal)('YCbCr JPEG against GDAL, pixel by pixel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-ycbcr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scene = fileURLToPath(new URL('../fixtures/scenes/ca-mau-2016.tif', import.meta.url));
  const translate = (out: string, ...args: string[]) => {
    const result = spawnSync('gdal_translate', ['-q', ...args, join(dir, out)], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return join(dir, out);
  };

  it.each([
    ['2,2', 'tiled', ['-co', 'TILED=YES']],
    ['2,1', 'stripped', ['-co', 'YCBCR_SUBSAMPLING=2,1']],
  ])(
    'regression: subsampling %s, %s, read as GDAL converts it (it gave 36.6 km of false shoreline)',
    async (_, name, layout) => {
      const jpeg = translate(
        `${name}.tif`,
        '-co',
        'COMPRESS=JPEG',
        '-co',
        'PHOTOMETRIC=YCBCR',
        ...layout,
        '-ot',
        'Byte',
        '-scale',
        '0',
        '4000',
        '1',
        '255',
        scene,
      );
      // GDAL's RGB: libtiff has libjpeg upsample and convert (JPEGCOLORMODE_RGB).
      const rgb = translate(`${name}-rgb.tif`, '-co', 'COMPRESS=NONE', '-co', 'INTERLEAVE=PIXEL', jpeg);
      const source = await openGeoTiffSource(jpeg, { bands: { green: 1, nir: 2, swir16: 3 } });
      const { width, height } = source.info;
      const ours = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, [
        'green',
        'nir',
        'swir16',
      ]);
      await source.close();
      const reference = (await (
        await (await fromFile(rgb)).getImage()
      ).readRasters()) as unknown as Uint8Array[];
      (['green', 'nir', 'swir16'] as const).forEach((band, b) => {
        let worst = 0;
        ours[band].forEach((v, i) => {
          // The scene's nodata (0) stays 0 through -scale; it reads as NaN.
          if (!Number.isNaN(v)) worst = Math.max(worst, Math.abs(v - reference[b]![i]!));
        });
        // Inverse-DCT rounding (geotiff.js's vs libjpeg's) moves a sample by at most a few levels.
        expect(worst, band).toBeLessThanOrEqual(4);
      });
    },
  );
});
