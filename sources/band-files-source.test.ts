import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { requireBands } from './band-mapping.ts';
import { openSceneSource } from './open-scene-source.ts';
import { restoreSceneSource } from './source-snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-band-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 20;
const H = 12;
/** Sentinel-2 L2A BOA offsets as GDAL shows them, for every band file of the scene. */
const BOA = { BOA_ADD_OFFSET_B03: '-1000', BOA_ADD_OFFSET_B08: '-1000', BOA_ADD_OFFSET_B11: '-1000' };

function band(base: number, w = W, h = H): Uint16Array {
  return Uint16Array.from({ length: w * h }, (_, i) => base + 10 * Math.floor(i / w) + (i % w));
}

/** A single-band GeoTIFF without a band description: only its name says which band it is. */
function file(
  name: string,
  data: Uint16Array | Uint8Array,
  options: { metadata?: Record<string, string>; pixel?: number; w?: number; h?: number } = {},
): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  const pixel = options.pixel ?? 10;
  writeFileSync(
    path,
    encodeGeoTiff({
      width: options.w ?? W,
      height: options.h ?? H,
      bands: [data],
      ...(options.metadata ? { metadata: options.metadata } : {}),
      epsg: 32648,
      geoTransform: [470000, pixel, 0, 960000, 0, -pixel],
      tileSize: 16,
      compression: 'deflate',
    }),
  );
  return path;
}

describe('openSceneSource with one GeoTIFF per band, named after its band', () => {
  it('maps Sentinel-2 names with parts after the band (T48PVR_20240101T031111_B11_20m.tif)', async () => {
    const green = file('s2/T48PVR_20240101T031111_B03_10m.tif', band(1000));
    const nir = file('s2/T48PVR_20240101T031111_B08_10m.tif', band(2000));
    const swir = file('s2/T48PVR_20240101T031111_B11_20m.tif', band(3000, W / 2, H / 2), {
      pixel: 20,
      w: W / 2,
      h: H / 2,
    });
    const source = await openSceneSource([green, nir, swir]);
    expect(Object.keys(source.info.bandMap).sort()).toEqual(['green', 'nir', 'swir16']);
    const read = await source.readWindow({ x0: 2, y0: 2, x1: 4, y1: 3 }, ['green', 'nir', 'swir16']);
    expect(Array.from(read.green)).toEqual([1022, 1023]);
    expect(Array.from(read.swir16)).toEqual([3011, 3011]);
    await source.close();
  });

  it('maps Landsat Collection 2 names (…_SR_B6.TIF)', async () => {
    const names = ['SR_B3', 'SR_B5', 'SR_B6'].map((b, k) =>
      file(`l9/LC09_L2SP_125052_20240101_20240102_02_T1_${b}.TIF`, band(1000 * (k + 1))),
    );
    const source = await openSceneSource(names);
    expect(source.info.bandMap).toEqual({ green: 1, nir: 2, swir16: 3 });
    await source.close();
  });

  it('applies BOA_ADD_OFFSET to band files mapped by their names (S2_B03.tif S2_B08.tif S2_B11.tif)', async () => {
    const files = [
      file('boa/S2_B03.tif', band(1000), { metadata: BOA }),
      file('boa/S2_B08.tif', band(3000), { metadata: BOA }),
      file('boa/S2_B11.tif', band(2000), { metadata: BOA }),
    ];
    const source = await openSceneSource(files);
    const read = await source.readWindow({ x0: 1, y0: 0, x1: 2, y1: 1 }, ['green', 'nir', 'swir16']);
    expect([read.green[0], read.nir[0], read.swir16[0]]).toEqual([1, 2001, 1001]);
    // So do the workers, through the source's snapshot.
    const restored = await restoreSceneSource(source.snapshot());
    const again = await restored.readWindow({ x0: 1, y0: 0, x1: 2, y1: 1 }, ['green', 'nir', 'swir16']);
    expect([again.green[0], again.nir[0], again.swir16[0]]).toEqual([1, 2001, 1001]);
    await Promise.all([source.close(), restored.close()]);
  });

  it('masks the bands where a --mask file is non-zero', async () => {
    const files = ['B03', 'B08', 'B11'].map((b, k) => file(`masked/T_${b}.tif`, band(1000 * (k + 1))));
    const clouds = new Uint8Array(W * H);
    clouds[1] = 1;
    const source = await openSceneSource(files, { mask: file('masked/clouds.tif', clouds) });
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 3, y1: 1 }, ['green', 'swir16']);
    expect(Array.from(read.green)).toEqual([1000, Number.NaN, 1002]);
    expect(Array.from(read.swir16)).toEqual([3000, Number.NaN, 3002]);
    await source.close();
  });

  it('tells how to add a missing band as a file, not with --bands, which band files refuse', async () => {
    const files = ['B03', 'B08'].map((b, k) => file(`two/T_${b}.tif`, band(1000 * (k + 1))));
    const source = await openSceneSource(files);
    let err: unknown;
    try {
      requireBands(source.info, ['green', 'swir16'], 'MNDWI');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as Error).message).toBe(
      'missing band swir16 (SWIR 1.6 µm: Sentinel-2 B11, Landsat 8/9 SR_B6), needed for MNDWI. The files map ' +
        'green (T_B03.tif) and nir (T_B08.tif). --bands does not apply to one file per band: add a GeoTIFF for ' +
        'it, named after its band or with its band description set (B11), e.g. tidemark extract T_B03.tif ' +
        'T_B08.tif T48PVS_B11.tif',
    );
    await expect(openSceneSource(files, { bands: { swir16: 1 } })).rejects.toThrow(
      /--bands maps the bands of one GeoTIFF; with one file per band, name each file after its band/,
    );
    await source.close();
  });
});
