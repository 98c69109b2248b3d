import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff, type GeoTiffWriteOptions } from '../fixtures/geotiff-writer.ts';
import { openSceneSource } from './open-scene-source.ts';
import { restoreSceneSource } from './source-snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-open-scene-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 24;
const H = 16;
const ALL = { x0: 0, y0: 0, x1: W, y1: H };

/** Band b at pixel (x, y) holds 1000·(b + 1) + 10·y + x. */
function band(b: number, w = W, h = H): Uint16Array {
  return Uint16Array.from({ length: w * h }, (_, i) => 1000 * (b + 1) + 10 * Math.floor(i / w) + (i % w));
}

function write(name: string, options: Partial<GeoTiffWriteOptions>): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    encodeGeoTiff({
      width: W,
      height: H,
      bands: [band(0), band(1), band(2)],
      bandDescriptions: ['B03', 'B08', 'B11'],
      epsg: 32648,
      geoTransform: [470000, 10, 0, 960000, 0, -10],
      tileSize: 16,
      compression: 'deflate',
      ...options,
    } as GeoTiffWriteOptions),
  );
  return path;
}

/** A cloud: 1 over columns 4–9 of rows 2–5, 0 (clear) elsewhere. */
function cloud(w = W, h = H, value = 1): Uint8Array {
  return Uint8Array.from({ length: w * h }, (_, i) => {
    const x = i % w;
    const y = Math.floor(i / w);
    return x >= 4 && x < 10 && y >= 2 && y < 6 ? value : 0;
  });
}

function inCloud(i: number): boolean {
  const x = i % W;
  const y = Math.floor(i / W);
  return x >= 4 && x < 10 && y >= 2 && y < 6;
}

async function rejection(promise: Promise<unknown>): Promise<TidemarkError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TidemarkError);
  return err as TidemarkError;
}

describe('openSceneSource with a cloud-mask band (--bands …,mask=N)', () => {
  it('masks every other band where the mask band is non-zero, and reads the mask itself raw', async () => {
    const mask = Uint16Array.from(cloud());
    const path = write('mask-band.tif', {
      bands: [band(0), band(1), band(2), mask],
      bandDescriptions: ['B03', 'B08', 'B11', 'clouds'],
    });
    const source = await openSceneSource(path, { bands: { mask: 4 } });
    expect(source.info.bandMap).toEqual({ green: 1, nir: 2, swir16: 3, mask: 4 });
    const read = await source.readWindow(ALL, ['green', 'swir16']);
    for (let i = 0; i < W * H; i++) {
      if (inCloud(i)) expect(read.green[i]).toBeNaN();
      else expect(read.green[i]).toBe(band(0)[i]);
    }
    expect(read.swir16.filter(Number.isNaN)).toHaveLength(24);
    const raw = await source.readWindow(ALL, ['mask', 'green']);
    expect(Array.from(raw.mask)).toEqual(Array.from(mask));
    expect(raw.green[W * 2 + 4]).toBe(band(0)[W * 2 + 4]);
    // Workers read through a snapshot of the source: it masks the same pixels.
    const restored = await restoreSceneSource(source.snapshot());
    const again = await restored.readWindow(ALL, ['green', 'swir16']);
    expect(Array.from(again.green)).toEqual(Array.from(read.green));
    await Promise.all([source.close(), restored.close()]);
  });

  it('does not mask where the mask is its own nodata 0, as a mask written with nodata 0 marks clear pixels', async () => {
    const path = write('mask-band-nodata0.tif', {
      bands: [band(0), band(1), band(2), Uint16Array.from(cloud())],
      bandDescriptions: ['B03', 'B08', 'B11', ''],
      nodata: 0,
    });
    const source = await openSceneSource(path, { bands: { mask: 4 } });
    const read = await source.readWindow(ALL, ['green']);
    expect(read.green.filter(Number.isNaN)).toHaveLength(24);
    await source.close();
  });
});

describe('openSceneSource with a cloud-mask file (--mask)', () => {
  const scene = write('scene.tif', {});

  it('masks every band where the mask file is non-zero, in the source and in its snapshot', async () => {
    const maskPath = write('cloud.tif', { bands: [cloud(W, H, 255)], bandDescriptions: [''] });
    const source = await openSceneSource(scene, { mask: maskPath });
    // The scene is the GeoTIFF's: bands, descriptions, date, grid.
    expect(source.info).toMatchObject({ fileName: 'scene.tif', width: W, height: H });
    expect(source.info.bandMap).toEqual({ green: 1, nir: 2, swir16: 3 });
    const window = { x0: 2, y0: 1, x1: 14, y1: 9 };
    const read = await source.readWindow(window, ['green', 'nir', 'swir16']);
    const restored = await restoreSceneSource(source.snapshot());
    const again = await restored.readWindow(window, ['green', 'nir', 'swir16']);
    for (let y = window.y0; y < window.y1; y++) {
      for (let x = window.x0; x < window.x1; x++) {
        const i = (y - window.y0) * 12 + (x - window.x0);
        const masked = inCloud(y * W + x);
        for (const [b, key] of (['green', 'nir', 'swir16'] as const).entries()) {
          if (masked) expect(read[key][i]).toBeNaN();
          else expect(read[key][i]).toBe(band(b)[y * W + x]);
          expect(Object.is(again[key][i], read[key][i])).toBe(true);
        }
      }
    }
    await Promise.all([source.close(), restored.close()]);
  });

  it('reads a mask of whole-multiple pixels on the same origin by nearest neighbour (20 m mask, 10 m scene)', async () => {
    const coarse = Uint8Array.from({ length: (W / 2) * (H / 2) }, (_, i) => (i === 0 ? 1 : 0));
    const maskPath = write('cloud-20m.tif', {
      width: W / 2,
      height: H / 2,
      bands: [coarse],
      bandDescriptions: [''],
      geoTransform: [470000, 20, 0, 960000, 0, -20],
    });
    const source = await openSceneSource(scene, { mask: maskPath });
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 3, y1: 2 }, ['green']);
    expect(Array.from(read.green)).toEqual([Number.NaN, Number.NaN, 1002, Number.NaN, Number.NaN, 1012]);
    await source.close();
  });

  it('applies a mask band and a mask file together', async () => {
    const withBand = write('mask-band-2.tif', {
      bands: [
        band(0),
        band(1),
        band(2),
        Uint16Array.from({ length: W * H }, (_, i) => (i === W * H - 1 ? 1 : 0)),
      ],
      bandDescriptions: ['B03', 'B08', 'B11', ''],
    });
    const maskPath = write('cloud-2.tif', { bands: [cloud()], bandDescriptions: [''] });
    const source = await openSceneSource(withBand, { bands: { mask: 4 }, mask: maskPath });
    const read = await source.readWindow(ALL, ['green']);
    expect(read.green.filter(Number.isNaN)).toHaveLength(25);
    expect(read.green[W * H - 1]).toBeNaN();
    await source.close();
  });

  it.each<[string, Partial<GeoTiffWriteOptions>]>([
    ['a shifted origin', { geoTransform: [470005, 10, 0, 960000, 0, -10] }],
    ['another CRS', { epsg: 32647 }],
    ['finer pixels', { width: W * 2, height: H * 2, geoTransform: [470000, 5, 0, 960000, 0, -5] }],
    ['a smaller extent', { width: W - 1 }],
  ])('refuses a mask file on another grid (%s), naming it and how to resample it', async (_, options) => {
    const width = options.width ?? W;
    const height = options.height ?? H;
    const maskPath = write(`off-grid-${_.replace(/\W+/g, '-')}.tif`, {
      bands: [new Uint8Array(width * height)],
      bandDescriptions: [''],
      ...options,
    });
    const err = await rejection(openSceneSource(scene, { mask: maskPath }));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(
      /^scene\.tif: --mask off-grid-.*\.tif is not on the grid of the scene \(EPSG:32648, 24×16 pixels of 10×10 from \(470000, 960000\); it has .*\): it needs the same CRS and origin, .*resample it onto the scene's grid first \(e\.g\. gdalwarp -r near -t_srs EPSG:32648 -tr 10 10 -te 470000 959840 470240 960000\)$/,
    );
  });

  it('says which input is missing when the mask file is', async () => {
    const err = await rejection(openSceneSource(scene, { mask: join(dir, 'nope.tif') }));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/^--mask nope\.tif: cannot read .*nope\.tif: no such file$/);
  });
});

describe('openSceneSource applies Sentinel-2 BOA_ADD_OFFSET whatever the band description', () => {
  it.each([
    ['B03', ['B03', 'B08', 'B11']],
    ['B3_green_560nm', ['B3_green_560nm', 'B8_nir_842nm', 'B11_swir1_1610nm']],
  ])('reads %s as green and subtracts its offset', async (_, descriptions) => {
    const path = write(`boa-${_}.tif`, {
      bandDescriptions: descriptions,
      metadata: { BOA_ADD_OFFSET_B03: '-1000', BOA_ADD_OFFSET_B08: '-1000', BOA_ADD_OFFSET_B11: '-1000' },
    });
    const source = await openSceneSource(path);
    const read = await source.readWindow({ x0: 1, y0: 1, x1: 2, y1: 2 }, ['green', 'nir', 'swir16']);
    expect([read.green[0], read.nir[0], read.swir16[0]]).toEqual([11, 1011, 2011]);
    await source.close();
  });

  it('finds the offset of undescribed bands from --bands', async () => {
    const path = write('boa-undescribed.tif', {
      bandDescriptions: ['', '', ''],
      metadata: { BOA_ADD_OFFSET_B03: '-1000', BOA_ADD_OFFSET_B08: '-1000', BOA_ADD_OFFSET_B11: '-1000' },
    });
    const source = await openSceneSource(path, { bands: { green: 1, nir: 2, swir16: 3 } });
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 1, y1: 1 }, ['green', 'swir16']);
    expect([read.green[0], read.swir16[0]]).toEqual([0, 2000]);
    await source.close();
  });
});
