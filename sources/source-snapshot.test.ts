import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import { openSceneSource } from './open-scene-source.ts';
import type { BandKey, PixelWindow, SceneSource } from './scene-source.ts';
import { restoreSceneSource } from './source-snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 40;
const H = 30;

/** Band value at (x, y): base + 10·y + x, with a nodata hole. */
function band(base: number, w = W, h = H): Uint16Array {
  const values = Uint16Array.from({ length: w * h }, (_, i) => base + 10 * Math.floor(i / w) + (i % w));
  values[7] = 0;
  return values;
}

function tif(name: string, bands: Uint16Array[], descriptions: string[], pixel = 10, w = W, h = H): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    encodeGeoTiff({
      width: w,
      height: h,
      bands,
      bandDescriptions: descriptions,
      epsg: 32648,
      geoTransform: [470000, pixel, 0, 960000, 0, -pixel],
      tileSize: 16,
      compression: 'deflate',
      predictor: 2,
      nodata: 0,
    }),
  );
  return path;
}

/** What another thread receives: the snapshot after a structured clone, as postMessage does. */
function restored(source: SceneSource): Promise<SceneSource> {
  return restoreSceneSource(structuredClone(source.snapshot()));
}

async function expectSamePixels(
  a: SceneSource,
  b: SceneSource,
  bands: BandKey[],
  window: PixelWindow = { x0: 0, y0: 0, x1: a.info.width, y1: a.info.height },
): Promise<void> {
  const [ra, rb] = [await a.readWindow(window, bands), await b.readWindow(window, bands)];
  for (const key of bands) expect(Array.from(rb[key]), key).toEqual(Array.from(ra[key]));
}

describe('source snapshots', () => {
  const scene = tif('scene.tif', [band(1000), band(2000), band(3000)], ['B03', 'B08', 'B11']);

  it('restore a GeoTIFF that reads the same pixels, with the same info', async () => {
    const source = await openGeoTiffSource(scene);
    const copy = await restored(source);
    expect(copy.info).toEqual(source.info);
    await expectSamePixels(source, copy, ['green', 'nir', 'swir16']);
    await expectSamePixels(source, copy, ['swir16', 'green'], { x0: 13, y0: 5, x1: 35, y1: 29 });
    // The nodata hole is NaN in both.
    expect(Number.isNaN((await copy.readWindow({ x0: 7, y0: 0, x1: 8, y1: 1 }, ['green'])).green[0]!)).toBe(
      true,
    );
  });

  it('share their block tables with the thread they are sent to, and are taken once', async () => {
    const source = await openGeoTiffSource(scene);
    const snapshot = source.snapshot();
    expect(source.snapshot()).toBe(snapshot);
    if (snapshot.kind !== 'geotiff') throw new Error('expected a GeoTIFF snapshot');
    expect(snapshot.layout.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(snapshot.layout.byteCounts.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('restore without reading the file’s header again', async () => {
    const path = join(dir, 'headless.tif');
    const bytes = readFileSync(scene);
    writeFileSync(path, bytes);
    const source = await openGeoTiffSource(path);
    const snapshot = structuredClone(source.snapshot());
    // Wipe the TIFF header and the first directory's offset: opening the file now fails, restoring does not.
    writeFileSync(path, Buffer.concat([Buffer.alloc(8), bytes.subarray(8)]));
    await expect(openGeoTiffSource(path)).rejects.toBeInstanceOf(TidemarkError);
    const copy = await restoreSceneSource(snapshot);
    await expectSamePixels(source, copy, ['green', 'nir', 'swir16']);
  });

  it('restore a STAC Item whose bands come from several files on different grids', async () => {
    tif('green.tif', [band(1000)], ['B03']);
    tif('swir.tif', [band(3000, W / 2, H / 2)], ['B11'], 20, W / 2, H / 2);
    const item = join(dir, 'item.json');
    writeFileSync(
      item,
      JSON.stringify({
        type: 'Feature',
        stac_version: '1.0.0',
        id: 'item',
        properties: { datetime: '2022-03-04T03:25:00Z' },
        assets: {
          a: { href: './green.tif', 'eo:bands': [{ name: 'B03', common_name: 'green' }] },
          b: { href: './swir.tif', 'eo:bands': [{ name: 'B11', common_name: 'swir16' }] },
        },
      }),
    );
    const source = await openSceneSource(item);
    const copy = await restored(source);
    expect(copy.info).toEqual(source.info);
    await expectSamePixels(source, copy, ['green', 'swir16']);
    await expectSamePixels(source, copy, ['swir16'], { x0: 3, y0: 3, x1: 21, y1: 17 });
  });
});

const CORPUS = fileURLToPath(new URL('../../shared/data/geotiff-corpus/', import.meta.url));

describe.skipIf(!existsSync(CORPUS))('source snapshots of the GeoTIFF corpus', () => {
  // Every compression, predictor, sample type, byte order, layout and mask of the corpus: the decoder is
  // rebuilt from its spec in the restoring thread.
  const files = ['generated_from_aberystwyth', 'peers']
    .flatMap((sub) =>
      readdirSync(join(CORPUS, sub), { recursive: true, encoding: 'utf8' }).map((f) => join(CORPUS, sub, f)),
    )
    .filter((f) => /\.tiff?$/i.test(f))
    .sort();

  it.each(files.map((f) => [f.slice(CORPUS.length), f]))('%s', async (_, path) => {
    let source: SceneSource;
    try {
      source = await openGeoTiffSource(path, { bands: { green: 1 } });
    } catch (err) {
      // Rejected files are the conformance test's business; there is nothing to snapshot.
      expect(err).toBeInstanceOf(TidemarkError);
      return;
    }
    try {
      await expectSamePixels(source, await restored(source), ['green']);
    } finally {
      await source.close();
    }
  });
});
