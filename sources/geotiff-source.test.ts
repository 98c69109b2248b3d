import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff, type GeoTiffWriteOptions } from '../fixtures/geotiff-writer.ts';
import { openGeoTiffSource } from './geotiff-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 40;
const H = 30;

/** Band b at pixel (x, y) holds 1000·(b + 1) + 10·y + x, so every value says where it came from. */
function bands(count: number): Uint16Array[] {
  return Array.from({ length: count }, (_, b) =>
    Uint16Array.from({ length: W * H }, (_, i) => 1000 * (b + 1) + 10 * Math.floor(i / W) + (i % W)),
  );
}

function write(name: string, options: Partial<GeoTiffWriteOptions> = {}): string {
  const bytes = encodeGeoTiff({
    width: W,
    height: H,
    bands: bands(3),
    bandDescriptions: ['B03', 'B08', 'B11'],
    epsg: 32648,
    geoTransform: [470000, 10, 0, 960000, 0, -10],
    tileSize: 16,
    compression: 'deflate',
    predictor: 2,
    metadata: { ACQUISITION_DATE: '2021-05-27' },
    ...options,
  } as GeoTiffWriteOptions);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Little-endian classic TIFF: overwrite the first value of `tag` in the first IFD. */
function patchTag(bytes: Uint8Array, tag: number, value: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  for (let e = 0; e < count; e++) {
    const at = ifd + 2 + 12 * e;
    if (view.getUint16(at, true) !== tag) continue;
    const type = view.getUint16(at + 2, true);
    if (type === 3) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
    return out;
  }
  throw new Error(`tag ${tag} not found`);
}

function writeBytes(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function rejection(path: string, options = {}): Promise<TidemarkError> {
  try {
    const source = await openGeoTiffSource(path, options);
    await source.readWindow({ x0: 0, y0: 0, x1: source.info.width, y1: source.info.height }, ['green']);
  } catch (err) {
    expect(err).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error('expected a rejection');
}

describe('openGeoTiffSource: header', () => {
  it('reads size, CRS, geotransform, date and band mapping', async () => {
    const source = await openGeoTiffSource(write('ok.tif'));
    const { info } = source;
    expect(info).toMatchObject({
      fileName: 'ok.tif',
      width: W,
      height: H,
      epsg: 32648,
      crsUnits: 'metre',
      metresPerUnit: 1,
      geoTransform: [470000, 10, 0, 960000, 0, -10],
      date: '2021-05-27',
      bandMap: { green: 1, nir: 2, swir16: 3 },
      bandDescriptions: ['B03', 'B08', 'B11'],
      blockWidth: 16,
      blockHeight: 16,
    });
    expect(info.proj4).toMatch(/\+proj=tmerc \+lat_0=0 \+lon_0=105 \+k_0=0.9996/);
  });

  it('lets --bands and --date win over the file', async () => {
    const source = await openGeoTiffSource(write('ok2.tif'), { bands: { green: 3 }, date: '2022-01-02' });
    expect(source.info.bandMap.green).toBe(3);
    expect(source.info.date).toBe('2022-01-02');
  });

  it('shifts a PixelIsPoint tie point by half a pixel, as GDAL does', async () => {
    const source = await openGeoTiffSource(write('point.tif', { rasterType: 'point' }));
    expect(source.info.geoTransform).toEqual([470000, 10, 0, 960000, 0, -10]);
  });

  it('reads geographic CRSs in degrees', async () => {
    const source = await openGeoTiffSource(
      write('geo.tif', { epsg: 4326, geoTransform: [104.7, 0.0001, 0, 8.7, 0, -0.0001] }),
    );
    expect(source.info).toMatchObject({ epsg: 4326, crsUnits: 'degree' });
  });
});

describe('openGeoTiffSource: pixels', () => {
  it('reads any window exactly, across tiles, for every layout', async () => {
    const layouts: Partial<GeoTiffWriteOptions>[] = [
      {},
      { planar: 'pixel' },
      { compression: 'none', predictor: 1 },
      { layout: 'strips', rowsPerStrip: 7 },
      { layout: 'strips', planar: 'pixel', rowsPerStrip: 1 },
    ];
    for (const [i, layout] of layouts.entries()) {
      const source = await openGeoTiffSource(write(`layout-${i}.tif`, layout));
      const window = { x0: 5, y0: 3, x1: 37, y1: 29 };
      const read = await source.readWindow(window, ['swir16', 'green']);
      for (let y = window.y0; y < window.y1; y++) {
        for (let x = window.x0; x < window.x1; x++) {
          const at = (y - window.y0) * (window.x1 - window.x0) + (x - window.x0);
          expect(read.green[at], `layout ${i}`).toBe(1000 + 10 * y + x);
          expect(read.swir16[at], `layout ${i}`).toBe(3000 + 10 * y + x);
        }
      }
    }
  });

  it('turns nodata into NaN', async () => {
    const b = bands(3);
    b[0]![0] = 0;
    const source = await openGeoTiffSource(write('nodata.tif', { bands: b, nodata: 0 }));
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 2, y1: 1 }, ['green']);
    expect(read.green[0]).toBeNaN();
    expect(read.green[1]).toBe(1001);
  });

  it('masks cloud classes of an SCL band in every other band, unless SCL itself is asked for', async () => {
    const b = bands(3);
    const scl = new Uint16Array(W * H).fill(4); // vegetation
    scl[0] = 9; // cloud, high probability
    scl[1] = 3; // cloud shadow
    scl[2] = 6; // water
    const source = await openGeoTiffSource(
      write('scl.tif', { bands: [...b, scl], bandDescriptions: ['B03', 'B08', 'B11', 'SCL'] }),
    );
    expect(source.info.bandMap.scl).toBe(4);
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 4, y1: 1 }, ['green', 'swir16']);
    expect(Array.from(read.green)).toEqual([Number.NaN, Number.NaN, 1002, 1003]);
    expect(Array.from(read.swir16)).toEqual([Number.NaN, Number.NaN, 3002, 3003]);
    const raw = await source.readWindow({ x0: 0, y0: 0, x1: 4, y1: 1 }, ['scl', 'green']);
    expect(Array.from(raw.scl)).toEqual([9, 3, 6, 4]);
    expect(raw.green[0]).toBe(1000);
  });

  it('applies BOA_ADD_OFFSET to the digital numbers', async () => {
    const source = await openGeoTiffSource(
      write('boa.tif', { metadata: { ACQUISITION_DATE: '2021-05-27', BOA_ADD_OFFSET_B03: '-1000' } }),
    );
    const read = await source.readWindow({ x0: 1, y0: 0, x1: 2, y1: 1 }, ['green', 'nir']);
    expect(read.green[0]).toBe(1);
    expect(read.nir[0]).toBe(2001);
  });

  it('rejects a window outside the scene and an unmapped band', async () => {
    const source = await openGeoTiffSource(write('ok3.tif', { bandDescriptions: ['B03', 'B08', 'x'] }));
    await expect(source.readWindow({ x0: 0, y0: 0, x1: W + 1, y1: 1 }, ['green'])).rejects.toThrow(/outside/);
    await expect(source.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['swir16'])).rejects.toThrow(/not mapped/);
  });
});

describe('openGeoTiffSource: bad files', () => {
  const good = () =>
    encodeGeoTiff({
      width: W,
      height: H,
      bands: bands(3),
      bandDescriptions: ['B03', 'B08', 'B11'],
      epsg: 32648,
      geoTransform: [470000, 10, 0, 960000, 0, -10],
      tileSize: 16,
      compression: 'deflate',
    });

  it('NOT_A_TIFF for a text file, a PNG and an empty file', async () => {
    expect((await rejection(writeBytes('text.tif', 'hello, world'))).code).toBe('NOT_A_TIFF');
    const png = await rejection(writeBytes('png.tif', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10)));
    expect(png.message).toMatch(/PNG/);
    expect((await rejection(writeBytes('empty.tif', ''))).message).toMatch(/empty/);
  });

  it('TRUNCATED_FILE for a file cut anywhere', async () => {
    const bytes = good();
    for (const keep of [3, 7, 200, Math.floor(bytes.length / 2), bytes.length - 10]) {
      const err = await rejection(writeBytes(`cut-${keep}.tif`, bytes.subarray(0, keep)));
      expect(err.code, `cut at ${keep}`).toBe('TRUNCATED_FILE');
    }
  });

  it('NO_GEOREFERENCE for a TIFF without georeferencing', async () => {
    const err = await rejection(
      write('nogeo.tif', { noGeoreference: true, epsg: undefined, geoTransform: undefined } as never),
    );
    expect(err.code).toBe('NO_GEOREFERENCE');
  });

  it('TOO_LARGE for a dimension bomb, before allocating', async () => {
    const bomb = patchTag(patchTag(good(), 256, 200_000), 257, 200_000);
    const err = await rejection(writeBytes('bomb.tif', bomb));
    expect(err.code).toBe('TOO_LARGE');
    expect(err.message).toMatch(/200000×200000/);
    expect((await rejection(write('small-limit.tif'), { maxPixels: 100 })).code).toBe('TOO_LARGE');
  });

  it('UNSUPPORTED naming the compression', async () => {
    const err = await rejection(writeBytes('jpeg2000.tif', patchTag(good(), 259, 34712)));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/JPEG 2000/);
    const webp = await rejection(writeBytes('webp.tif', patchTag(good(), 259, 50001)));
    expect(webp.message).toMatch(/WebP/);
  });

  it('CORRUPT_DATA for a tile that does not inflate', async () => {
    const bytes = good();
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    // The first tile's data starts right after the 8-byte header in this writer's layout; find it via the IFD.
    const ifd = view.getUint32(4, true);
    let firstTile = -1;
    for (let e = 0; e < view.getUint16(ifd, true); e++) {
      const at = ifd + 2 + 12 * e;
      if (view.getUint16(at, true) === 324) {
        const count = view.getUint32(at + 4, true);
        firstTile =
          count === 1 ? view.getUint32(at + 8, true) : view.getUint32(view.getUint32(at + 8, true), true);
      }
    }
    expect(firstTile).toBeGreaterThan(0);
    const corrupt = bytes.slice();
    corrupt.fill(0xff, firstTile, firstTile + 16);
    const err = await rejection(writeBytes('corrupt.tif', corrupt));
    expect(err.code).toBe('CORRUPT_DATA');
    expect(err.message).toMatch(/tile 0/);
  });

  it('NOT_FOUND for a missing file', async () => {
    expect((await rejection(join(dir, 'missing.tif'))).code).toBe('NOT_FOUND');
  });

  it('MISSING_BAND for --bands beyond the band count', async () => {
    const err = await rejection(write('ok4.tif'), { bands: { swir16: 9 } });
    expect(err.code).toBe('MISSING_BAND');
  });
});
