import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { openSceneSource } from './open-scene-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-stac-'));
const SCENES = fileURLToPath(new URL('../fixtures/scenes/', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 32;
const H = 24;

function band(base: number, w = W, h = H): Uint16Array {
  return Uint16Array.from({ length: w * h }, (_, i) => base + 10 * Math.floor(i / w) + (i % w));
}

function tif(
  name: string,
  data: Uint16Array,
  options: {
    description?: string;
    pixel?: number;
    w?: number;
    h?: number;
    metadata?: Record<string, string>;
  },
): string {
  const pixel = options.pixel ?? 10;
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    encodeGeoTiff({
      width: options.w ?? W,
      height: options.h ?? H,
      bands: [data],
      ...(options.description !== undefined ? { bandDescriptions: [options.description] } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
      epsg: 32648,
      geoTransform: [470000, pixel, 0, 960000, 0, -pixel],
      tileSize: 16,
      compression: 'deflate',
    }),
  );
  return path;
}

/** A multi-band GeoTIFF on the 10 m grid of `tif`. */
function multi(name: string, bands: Uint16Array[], descriptions: string[]): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    encodeGeoTiff({
      width: W,
      height: H,
      bands,
      bandDescriptions: descriptions,
      epsg: 32648,
      geoTransform: [470000, 10, 0, 960000, 0, -10],
    }),
  );
  return path;
}

function item(name: string, assets: Record<string, unknown>, datetime = '2022-03-04T03:25:00Z'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({ type: 'Feature', stac_version: '1.0.0', id: name, properties: { datetime }, assets }),
  );
  return path;
}

describe('openSceneSource with a STAC Item', () => {
  const green = tif('bands/green.tif', band(1000), { description: 'B03' });
  const nir = tif('bands/nir.tif', band(2000), { description: 'B08' });
  // A 20 m SWIR band on the same origin, as Sentinel-2 ships it.
  const swir = tif('bands/swir.tif', band(3000, W / 2, H / 2), {
    description: 'B11',
    pixel: 20,
    w: W / 2,
    h: H / 2,
  });

  it('maps assets by eo:bands common names, resolves relative, absolute and file:// hrefs, and reads on the finest grid', async () => {
    const path = item('item.json', {
      a: { href: './bands/green.tif', 'eo:bands': [{ name: 'B03', common_name: 'green' }] },
      b: { href: nir, 'eo:bands': [{ name: 'B08', common_name: 'nir' }] },
      c: { href: pathToFileURL(swir).href, 'eo:bands': [{ name: 'B11', common_name: 'swir16' }] },
      thumbnail: { href: 'https://example.invalid/thumb.png' },
    });
    const source = await openSceneSource(path);
    expect(source.info).toMatchObject({
      fileName: 'item.json',
      width: W,
      height: H,
      epsg: 32648,
      date: '2022-03-04T03:25:00Z',
    });
    expect(source.info.geoTransform).toEqual([470000, 10, 0, 960000, 0, -10]);
    const window = { x0: 3, y0: 5, x1: 11, y1: 9 };
    const read = await source.readWindow(window, ['green', 'nir', 'swir16']);
    for (let y = window.y0; y < window.y1; y++) {
      for (let x = window.x0; x < window.x1; x++) {
        const i = (y - window.y0) * 8 + (x - window.x0);
        expect(read.green[i]).toBe(1000 + 10 * y + x);
        expect(read.nir[i]).toBe(2000 + 10 * y + x);
        // Nearest neighbour from the 20 m grid.
        expect(read.swir16[i]).toBe(3000 + 10 * Math.floor(y / 2) + Math.floor(x / 2));
      }
    }
  });

  it('falls back to asset keys when there are no eo:bands', async () => {
    const path = item('keys.json', {
      B03: { href: './bands/green.tif' },
      B08: { href: './bands/nir.tif' },
      B11: { href: './bands/swir.tif' },
    });
    const source = await openSceneSource(path);
    expect(Object.keys(source.info.bandMap).sort()).toEqual(['green', 'nir', 'swir16']);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['s3 asset', { green: { href: 's3://bucket/B03.tif' } }, 'UNSUPPORTED', /unsupported URL scheme/],
    ['asset without href', { green: {} }, 'INVALID_INPUT', /has no href/],
    ['no band asset', { thumbnail: { href: 'x.png' } }, 'MISSING_BAND', /no asset is a known band/],
  ])('rejects an item with an %s', async (_, assets, code, message) => {
    const err = await openSceneSource(item(`bad-${code}.json`, assets)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
  });

  it('rejects what is not a STAC Item, and --bands with an item', async () => {
    const notItem = join(dir, 'collection.json');
    writeFileSync(notItem, JSON.stringify({ type: 'Collection' }));
    await expect(openSceneSource(notItem)).rejects.toThrow(/not a STAC Item/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    await expect(openSceneSource(broken)).rejects.toThrow(/not valid JSON/);
    await expect(
      openSceneSource(item('ok.json', { green: { href: green } }), { bands: { green: 1 } }),
    ).rejects.toThrow(/STAC Item maps them through its assets/);
  });

  it('rejects assets on grids that do not line up', async () => {
    const shifted = join(dir, 'bands/shifted.tif');
    writeFileSync(
      shifted,
      encodeGeoTiff({
        width: W,
        height: H,
        bands: [band(5)],
        bandDescriptions: ['B08'],
        epsg: 32648,
        geoTransform: [470005, 10, 0, 960000, 0, -10],
      }),
    );
    const err = await openSceneSource(
      item('shifted.json', { green: { href: green }, nir: { href: shifted } }),
    ).catch((e: unknown) => e);
    expect((err as TidemarkError).code).toBe('UNSUPPORTED');
    expect((err as Error).message).toMatch(/not on the grid/);
  });
});

describe('openSceneSource with a STAC Item it cannot read', () => {
  it('says on one line which file is not JSON and why', async () => {
    const path = join(dir, 'two-lines.json');
    writeFileSync(path, 'not\njson\n');
    const err = await openSceneSource(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('INVALID_INPUT');
    const message = (err as Error).message;
    expect(message).not.toMatch(/\n/);
    expect(message).toBe(
      `${path} is not valid JSON: Unexpected token 'o', "not\\njson\\n" is not valid JSON`,
    );
  });

  it('says "no such file" for a missing item and names the scheme of an unsupported URL', async () => {
    const missing = await openSceneSource(join(dir, 'nope.json')).catch((e: unknown) => e);
    expect((missing as TidemarkError).code).toBe('NOT_FOUND');
    expect((missing as Error).message).toBe(`cannot read scene ${join(dir, 'nope.json')}: no such file`);
    const ftp = await openSceneSource('ftp://example.invalid/item.json').catch((e: unknown) => e);
    expect((ftp as TidemarkError).code).toBe('UNSUPPORTED');
    expect((ftp as Error).message).toBe(
      'ftp://example.invalid/item.json: unsupported URL scheme ftp: (use a local path, file:// or http(s)://)',
    );
  });

  it('reads an item given as a file:// URL', async () => {
    const path = item('by-url.json', { green: { href: './bands/green.tif' } });
    const source = await openSceneSource(pathToFileURL(path).href);
    expect(source.info.fileName).toBe('by-url.json');
    expect(source.info.bandMap).toEqual({ green: 1 });
    await source.close();
  });
});

describe('openSceneSource with one GeoTIFF per band', () => {
  const green = tif('files/T48PVS_B03.tif', band(1000), { description: 'B03' });
  // Named by its file only.
  const nir = tif('files/T48PVS_B08.tif', band(2000), {});
  const swir = tif('files/T48PVS_B11.tif', band(3000), { description: 'B11' });

  it('reads each band from its own file, whatever order the files come in', async () => {
    const source = await openSceneSource([swir, green, nir]);
    expect(source.info.fileName).toBe('T48PVS_B11.tif+T48PVS_B03.tif+T48PVS_B08.tif');
    expect(Object.keys(source.info.bandMap).sort()).toEqual(['green', 'nir', 'swir16']);
    const read = await source.readWindow({ x0: 2, y0: 3, x1: 4, y1: 4 }, ['green', 'nir', 'swir16']);
    expect(Array.from(read.green)).toEqual([1032, 1033]);
    expect(Array.from(read.nir)).toEqual([2032, 2033]);
    expect(Array.from(read.swir16)).toEqual([3032, 3033]);
    await source.close();
  });

  it('takes a file that adds a band even when it repeats another', async () => {
    const greenNir = multi('files/green-nir.tif', [band(1000), band(2000)], ['B03', 'B08']);
    const nirSwir = multi('files/nir-swir.tif', [band(5000), band(3000)], ['B08', 'B11']);
    const source = await openSceneSource([greenNir, nirSwir]);
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green', 'nir', 'swir16']);
    // nir comes from the first file that maps it.
    expect(Array.from(read.nir)).toEqual([2000]);
    expect(Array.from(read.swir16)).toEqual([3000]);
    await source.close();
  });

  it('several scenes given as band files are an error, not merged into the first (ca-mau-2020.tif + ca-mau-2021.tif)', async () => {
    const err = await openSceneSource([
      join(SCENES, 'ca-mau-2020.tif'),
      join(SCENES, 'ca-mau-2021.tif'),
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('INVALID_INPUT');
    expect((err as Error).message).toBe(
      'ca-mau-2021.tif adds no band: green, nir, swir16 are already mapped from ca-mau-2020.tif. Several files ' +
        'are read as one scene, one file per band; each scene needs its own `tidemark extract` run (or use ' +
        '`tidemark ingest` for several scenes)',
    );
  });

  it('rejects a band file that repeats one band of an earlier file, naming both files', async () => {
    const again = tif('files/again_B03.tif', band(1500), { description: 'B03' });
    await expect(openSceneSource([green, nir, again])).rejects.toThrow(
      /^again_B03\.tif adds no band: green is already mapped from T48PVS_B03\.tif\. .*its own `tidemark extract` run/,
    );
  });

  it('rejects band files acquired on different dates, naming both dates', async () => {
    const may = tif('dated/may_B03.tif', band(1000), {
      description: 'B03',
      metadata: { ACQUISITION_DATE: '2021-05-27' },
    });
    const june = tif('dated/june_B11.tif', band(3000), {
      description: 'B11',
      metadata: { ACQUISITION_DATE: '2021-06-01T03:20:00Z' },
    });
    const err = await openSceneSource([may, nir, june]).catch((e: unknown) => e);
    expect((err as TidemarkError).code).toBe('INVALID_INPUT');
    expect((err as Error).message).toMatch(
      /^june_B11\.tif was acquired on 2021-06-01T03:20:00Z, but may_B03\.tif on 2021-05-27: .*its own `tidemark extract` run/,
    );
    // The same day, once as a date and once as a date-time, is one acquisition.
    const sameDay = tif('dated/same-day_B11.tif', band(3000), {
      description: 'B11',
      metadata: { ACQUISITION_DATE: '2021-05-27T03:20:00Z' },
    });
    const source = await openSceneSource([may, nir, sameDay]);
    expect(source.info.date).toBe('2021-05-27');
    await source.close();
  });

  it('rejects a band file that maps no known band instead of ignoring it', async () => {
    const unknown = tif('files/thumbnail.tif', band(7), {});
    await expect(openSceneSource([green, unknown, swir])).rejects.toThrow(
      /^thumbnail\.tif: no known band: set its band description \(B03, B08, B11…\) or name the file after its band$/,
    );
    const missing = join(dir, 'files/missing_B08.tif');
    await expect(openSceneSource([green, missing])).rejects.toThrow(
      `cannot read scene ${missing}: no such file`,
    );
  });
});
