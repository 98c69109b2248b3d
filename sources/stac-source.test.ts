import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { requireBands } from './band-mapping.ts';
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
    nodata?: number;
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
      ...(options.nodata !== undefined ? { nodata: options.nodata } : {}),
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

function item(
  name: string,
  assets: Record<string, unknown>,
  datetime = '2022-03-04T03:25:00Z',
  stacVersion = '1.0.0',
): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    JSON.stringify({
      type: 'Feature',
      stac_version: stacVersion,
      id: name,
      properties: { datetime },
      assets,
    }),
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

describe('openSceneSource with a STAC Item: radiometry, STAC 1.1, hrefs, precedence, masks', () => {
  /** Sentinel-2 L2A digital numbers since processing baseline 04.00: reflectance·10000 + 1000. */
  const dn = (reflectance: (i: number) => number) =>
    Uint16Array.from({ length: W * H }, (_, i) => Math.round(reflectance(i) * 10000) + 1000);
  tif(
    'e84/green.tif',
    dn((i) => 0.05 + i / 10000),
    {},
  );
  tif(
    'e84/nir.tif',
    dn((i) => 0.3 - i / 10000),
    {},
  );
  tif(
    'e84/swir.tif',
    dn(() => 0.2),
    {},
  );
  const raster = [{ scale: 0.0001, offset: -0.1, nodata: 0, data_type: 'uint16' }];

  it('applies raster:bands scale and offset, the way Earth Search gives the Sentinel-2 BOA offset', async () => {
    const path = item('e84/item.json', {
      green: {
        href: 'green.tif',
        'raster:bands': raster,
        'eo:bands': [{ name: 'B03', common_name: 'green' }],
      },
      nir: { href: 'nir.tif', 'raster:bands': raster, 'eo:bands': [{ name: 'B08', common_name: 'nir' }] },
      swir16: {
        href: 'swir.tif',
        'raster:bands': raster,
        'eo:bands': [{ name: 'B11', common_name: 'swir16' }],
      },
    });
    const source = await openSceneSource(path);
    // Reflectance, so AWEI-style indices need no further scale.
    expect(source.info.reflectanceScale).toBe(1);
    const read = await source.readWindow({ x0: 0, y0: 0, x1: W, y1: H }, ['green', 'nir', 'swir16']);
    for (const i of [0, 17, W * H - 1]) {
      expect(read.green[i]).toBeCloseTo(0.05 + i / 10000, 5);
      expect(read.nir[i]).toBeCloseTo(0.3 - i / 10000, 5);
      expect(read.swir16[i]).toBeCloseTo(0.2, 5);
    }
    await source.close();
  });

  it('takes nodata from raster:bands when the file has none', async () => {
    const holed = band(1000);
    holed[5] = 0;
    tif('e84/holed.tif', holed, {});
    const path = item('e84/holed.json', {
      green: { href: 'holed.tif', 'raster:bands': [{ nodata: 0 }] },
    });
    const source = await openSceneSource(path);
    const read = await source.readWindow({ x0: 4, y0: 0, x1: 7, y1: 1 }, ['green']);
    expect(Array.from(read.green)).toEqual([1004, Number.NaN, 1006]);
    await source.close();
  });

  it("applies the file's own BOA_ADD_OFFSET once, over an item's raster:bands offset", async () => {
    const own = tif('e84/own-boa.tif', band(2000), {
      description: 'B03',
      metadata: { BOA_ADD_OFFSET_B03: '-1000', BOA_QUANTIFICATION_VALUE: '10000' },
    });
    const source = await openSceneSource(
      item('e84/own.json', { green: { href: own, 'raster:bands': raster } }),
    );
    const read = await source.readWindow({ x0: 3, y0: 0, x1: 4, y1: 1 }, ['green']);
    expect(read.green[0]).toBe(1003);
    expect(source.info.reflectanceScale).toBe(1 / 10000);
    await source.close();
  });

  it('maps STAC 1.1 bands by eo:common_name, with raster:scale and raster:offset', async () => {
    const bands = (name: string, common: string) => [
      { name, 'eo:common_name': common, nodata: 0, 'raster:scale': 0.0001, 'raster:offset': -0.1 },
    ];
    const path = item(
      'e84/stac11.json',
      {
        a: { href: 'green.tif', bands: bands('b', 'green') },
        b: { href: 'nir.tif', bands: bands('b', 'nir') },
        c: { href: 'swir.tif', bands: bands('b', 'swir16') },
      },
      '2023-01-01T00:00:00Z',
      '1.1.0',
    );
    const source = await openSceneSource(path);
    expect(Object.keys(source.info.bandMap).sort()).toEqual(['green', 'nir', 'swir16']);
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green', 'swir16']);
    expect(read.green[0]).toBeCloseTo(0.05, 5);
    expect(read.swir16[0]).toBeCloseTo(0.2, 5);
    await source.close();
    // Fields common to all bands may sit on the asset itself.
    const onAsset = item(
      'e84/stac11-asset.json',
      { a: { href: 'green.tif', 'eo:common_name': 'green', 'raster:scale': 0.0001, 'raster:offset': -0.1 } },
      '2023-01-01T00:00:00Z',
      '1.1.0',
    );
    const single = await openSceneSource(onAsset);
    expect((await single.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green'])).green[0]).toBeCloseTo(
      0.05,
      5,
    );
    await single.close();
  });

  it('decodes percent-encoded relative hrefs, and still reads plain ones', async () => {
    tif('sp ace/g 1.tif', band(1000), {});
    for (const [name, href] of [
      ['encoded.json', 'sp%20ace/g%201.tif'],
      ['plain.json', 'sp ace/g 1.tif'],
      ['encoded-file-url.json', pathToFileURL(join(dir, 'sp ace/g 1.tif')).href],
    ] as const) {
      const source = await openSceneSource(item(name, { green: { href } }));
      expect((await source.readWindow({ x0: 1, y0: 0, x1: 2, y1: 1 }, ['green'])).green[0]).toBe(1001);
      await source.close();
    }
  });

  it("lets a file's band descriptions win over the item's eo:bands (multi_swapped.json), as the spec orders them", async () => {
    multi('multi/described.tif', [band(1000), band(2000), band(3000)], ['B03', 'B08', 'B11']);
    const swapped = [
      { name: 'b1', common_name: 'swir16' },
      { name: 'b2', common_name: 'nir' },
      { name: 'b3', common_name: 'green' },
    ];
    const source = await openSceneSource(
      item('multi/swapped.json', { visual: { href: 'described.tif', 'eo:bands': swapped } }),
    );
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green', 'nir', 'swir16']);
    expect([read.green[0], read.nir[0], read.swir16[0]]).toEqual([1000, 2000, 3000]);
    await source.close();
    // Without descriptions, eo:bands decides.
    multi('multi/plain.tif', [band(1000), band(2000), band(3000)], ['', '', '']);
    const plain = await openSceneSource(
      item('multi/plain.json', { visual: { href: 'plain.tif', 'eo:bands': swapped } }),
    );
    const p = await plain.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green', 'swir16']);
    expect([p.green[0], p.swir16[0]]).toEqual([3000, 1000]);
    await plain.close();
  });

  it('reads the bands of an item whose GeoTIFF assets name them only in their band descriptions', async () => {
    multi('multi/only-described.tif', [band(1000), band(2000), band(3000)], ['B03', 'B08', 'B11']);
    const source = await openSceneSource(
      item('multi/data.json', {
        data: { href: 'only-described.tif', type: 'image/tiff; application=geotiff' },
      }),
    );
    expect(source.info.bandMap).toEqual({ green: 1, nir: 2, swir16: 3 });
    await source.close();
  });

  it('skips JPEG 2000 copies of the bands and renderings for display (Earth Search v1)', async () => {
    multi('e84/tci.tif', [band(1), band(2), band(3)], ['', '', '']);
    const path = item('e84/earth-search.json', {
      visual: {
        href: 'tci.tif',
        type: 'image/tiff; application=geotiff; profile=cloud-optimized',
        roles: ['visual'],
        'eo:bands': [{ common_name: 'red' }, { common_name: 'green' }, { common_name: 'blue' }],
      },
      'green-jp2': {
        href: 's3://sentinel-s2-l2a/tiles/48/P/VS/2023/1/1/0/R10m/B03.jp2',
        type: 'image/jp2',
        'eo:bands': [{ name: 'B03', common_name: 'green' }],
      },
      green: {
        href: 'green.tif',
        type: 'image/tiff; application=geotiff; profile=cloud-optimized',
        roles: ['data', 'reflectance'],
        'raster:bands': raster,
        'eo:bands': [{ name: 'B03', common_name: 'green' }],
      },
    });
    const source = await openSceneSource(path);
    expect(source.info.bandDescriptions[source.info.bandMap.green! - 1]).toBe('green');
    expect((await source.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green'])).green[0]).toBeCloseTo(
      0.05,
      5,
    );
    // The 8-bit rendering gives no red band either: mixed with reflectance it would skew NDVI.
    expect(source.info.bandMap.red).toBeUndefined();
    await source.close();
  });

  it('masks pixels where an asset with role "cloud" is non-zero', async () => {
    const clouds = new Uint16Array(W * H);
    clouds.fill(1, 0, 3);
    tif('e84/clouds.tif', clouds, {});
    const path = item('e84/clouded.json', {
      green: { href: 'green.tif', 'raster:bands': raster },
      cloud: { href: 'clouds.tif', roles: ['data', 'cloud'], 'raster:bands': [{ scale: 0.5, offset: 7 }] },
    });
    const source = await openSceneSource(path);
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 5, y1: 1 }, ['green']);
    expect(read.green.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(read.green[3]).toBeCloseTo(0.0503, 5);
    await source.close();
  });

  it('does not read a bit-flag QA band with role "cloud" (Landsat QA_PIXEL) as a 0/non-0 mask', async () => {
    // Landsat Collection 2 QA_PIXEL: clear land 21824, clear water 21952, fill 1; the catalogues give it
    // role "cloud". Read as a simple mask it would mask every pixel.
    const qa = new Uint16Array(W * H).fill(21824);
    tif('lc09/qa_pixel.tif', qa, {});
    tif('lc09/green.tif', new Uint16Array(W * H).fill(1000), {});
    const bitfields = [{ name: 'cloud', offset: 3, length: 1, classes: [{ value: 1, name: 'cloud' }] }];
    for (const [name, qaAsset] of [
      ['classified', { href: 'qa_pixel.tif', roles: ['cloud'], 'classification:bitfields': bitfields }],
      ['by-key', { href: 'qa_pixel.tif', roles: ['cloud', 'cloud-shadow'] }],
    ] as const) {
      const assets: Record<string, unknown> = {
        green: { href: 'green.tif', 'eo:bands': [{ common_name: 'green' }] },
      };
      assets[name === 'by-key' ? 'qa_pixel' : 'qa'] = qaAsset;
      const source = await openSceneSource(item(`lc09/${name}.json`, assets));
      const read = await source.readWindow({ x0: 0, y0: 0, x1: 5, y1: 1 }, ['green']);
      expect(read.green.some(Number.isNaN), name).toBe(false);
      await source.close();
    }
  });

  it('tells how to give a missing band as an asset, not with --bands, which an item refuses', async () => {
    const source = await openSceneSource(
      item('e84/no-swir.json', {
        green: { href: 'green.tif', 'eo:bands': [{ common_name: 'green' }] },
        nir: { href: 'nir.tif', 'eo:bands': [{ common_name: 'nir' }] },
      }),
    );
    expect(() => requireBands(source.info, ['green', 'swir16'], 'MNDWI')).toThrow(
      /^missing band swir16 \(SWIR 1\.6 µm: Sentinel-2 B11, Landsat 8\/9 SR_B6\), needed for MNDWI\. no-swir\.json maps green \(asset "green"\) and nir \(asset "nir"\) from its assets\. --bands does not apply to a STAC Item: give the item an asset for it, with eo:bands common_name "swir16"/,
    );
    await source.close();
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
