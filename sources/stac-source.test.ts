import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { openSceneSource } from './open-scene-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-stac-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 32;
const H = 24;

function band(base: number, w = W, h = H): Uint16Array {
  return Uint16Array.from({ length: w * h }, (_, i) => base + 10 * Math.floor(i / w) + (i % w));
}

function tif(
  name: string,
  data: Uint16Array,
  options: { description: string; pixel?: number; w?: number; h?: number },
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
      bandDescriptions: [options.description],
      epsg: 32648,
      geoTransform: [470000, pixel, 0, 960000, 0, -pixel],
      tileSize: 16,
      compression: 'deflate',
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
