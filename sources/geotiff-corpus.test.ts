/**
 * Conformance over the shared GeoTIFF corpus (../shared/data/geotiff-corpus, read its README.md): real
 * files an ingester must decode correctly or reject with an error naming what is unsupported. Runs when the
 * folder exists (as in CI); otherwise it is skipped with a notice.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import type { BandKey } from './scene-source.ts';

const CORPUS = fileURLToPath(new URL('../../shared/data/geotiff-corpus/', import.meta.url));
const present = existsSync(join(CORPUS, 'reference_values.csv'));
if (!present) {
  console.warn(`GeoTIFF corpus conformance skipped: ${CORPUS} not found (CI provides it beside the project)`);
}

interface Reference {
  file: string;
  width: number;
  height: number;
  bands: number;
  epsg: number;
  geotransform: number[];
  checksums: number[];
  ndwiWater: number | null;
  mndwiWater: number | null;
}

function references(): Reference[] {
  const [header, ...rows] = readFileSync(join(CORPUS, 'reference_values.csv'), 'utf8').trim().split('\n');
  const names = header!.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    const get = (name: string) => cells[names.indexOf(name)] ?? '';
    const num = (name: string) => (get(name) === '' ? null : Number(get(name)));
    return {
      file: get('file'),
      width: Number(get('width')),
      height: Number(get('height')),
      bands: Number(get('bands')),
      epsg: Number(get('epsg')),
      geotransform: get('geotransform').split(' ').map(Number),
      checksums: get('checksums').split(' ').map(Number),
      ndwiWater: num('ndwi_water_frac_gt0'),
      mndwiWater: num('mndwi_water_frac_gt0'),
    };
  });
}

const PRIMES = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/** GDAL's GDALChecksumImage over one band (integers as read; floats rounded half up, NaN as INT_MIN). */
function gdalChecksum(values: Float32Array | Float64Array, isFloat: boolean): number {
  let sum = 0;
  let prime = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let n: number;
    if (isFloat) n = Number.isFinite(v) ? Math.floor(v + 0.5) : -2147483648;
    else n = v;
    sum = (sum + (n % PRIMES[prime]!)) & 0xffff;
    prime = prime === 10 ? 0 : prime + 1;
  }
  return sum;
}

/** Band 1-based → key, so the reader returns every band of the file in order. */
const KEYS: BandKey[] = ['green', 'nir', 'swir16', 'swir22'];

describe.skipIf(!present)('GeoTIFF corpus conformance', () => {
  const refs = present ? references() : [];
  const scaleOffsetFile = 's2aber_4b_u16_scale_offset_meta.tif';

  it.each(refs.map((r) => [r.file, r] as const))(
    '%s: reads correctly or names what is unsupported',
    async (_, ref) => {
      const path = join(CORPUS, ref.file);
      const bandMap = Object.fromEntries(KEYS.slice(0, ref.bands).map((k, i) => [k, i + 1])) as Partial<
        Record<BandKey, number>
      >;
      let source: Awaited<ReturnType<typeof openGeoTiffSource>>;
      try {
        source = await openGeoTiffSource(path, { bands: bandMap });
      } catch (err) {
        // The one lossless variant geotiff.js cannot decode must say so by name.
        expect(err).toBeInstanceOf(TidemarkError);
        expect((err as TidemarkError).code).toBe('UNSUPPORTED');
        expect((err as Error).message).toMatch(/LZMA/);
        expect(ref.file).toMatch(/lzma/);
        return;
      }
      const { info } = source;
      expect([info.width, info.height, info.bandDescriptions.length]).toEqual([
        ref.width,
        ref.height,
        ref.bands,
      ]);
      expect(info.epsg).toBe(ref.epsg);
      info.geoTransform.forEach((v, i) => {
        expect(v, `geotransform[${i}]`).toBeCloseTo(ref.geotransform[i]!, 5);
      });
      const keys = KEYS.slice(0, ref.bands);
      const read = await source.readWindow({ x0: 0, y0: 0, x1: info.width, y1: info.height }, keys);
      const isFloat = ref.file.includes('f32');
      keys.forEach((key, b) => {
        let values: Float32Array | Float64Array = read[key];
        // GDAL checksums the stored numbers; we return reflectance with scale/offset applied.
        if (ref.file.endsWith(scaleOffsetFile))
          values = Float64Array.from(values, (v) => Math.round(v / 0.001));
        // Our nodata is NaN; GDAL checksums the stored nodata value (0 here).
        if (ref.file.includes('nodata0'))
          values = Float64Array.from(values, (v) => (Number.isNaN(v) ? 0 : v));
        expect(gdalChecksum(values, isFloat), `band ${b + 1} checksum`).toBe(ref.checksums[b]);
      });
      if (ref.ndwiWater !== null && ref.bands === 4) {
        // Band order in these files: B3 green, B4 red, B8 NIR, B11 SWIR1.
        const green = read.green;
        const nir = read.swir16;
        const swir = read.swir22;
        let valid = 0;
        let ndwi = 0;
        let mndwi = 0;
        for (let i = 0; i < green.length; i++) {
          const g = green[i]!;
          const n = nir[i]!;
          const s = swir[i]!;
          if (Number.isNaN(g) || Number.isNaN(n) || g + n === 0) continue;
          valid++;
          if ((g - n) / (g + n) > 0) ndwi++;
          if (!Number.isNaN(s) && g + s !== 0 && (g - s) / (g + s) > 0) mndwi++;
        }
        expect(Math.abs((100 * ndwi) / valid - 100 * ref.ndwiWater)).toBeLessThanOrEqual(0.2);
        expect(Math.abs((100 * mndwi) / valid - 100 * ref.mndwiWater!)).toBeLessThanOrEqual(0.2);
      }
    },
  );

  const peers = present
    ? readdirSync(join(CORPUS, 'peers'), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && d.name.endsWith('.tif'))
        .map((d) => join(d.parentPath, d.name))
    : [];

  it.each(peers.map((p) => [p.slice(CORPUS.length)]))(
    '%s: reads or is rejected by name, never crashes',
    async (rel) => {
      const path = join(CORPUS, rel);
      try {
        const source = await openGeoTiffSource(path, { bands: { green: 1 } });
        const { info } = source;
        expect(info.width).toBeGreaterThan(0);
        expect(info.proj4.length).toBeGreaterThan(0);
        const read = await source.readWindow({ x0: 0, y0: 0, x1: info.width, y1: info.height }, ['green']);
        expect(read.green.length).toBe(info.width * info.height);
      } catch (err) {
        expect(err, String(err)).toBeInstanceOf(TidemarkError);
        expect(['UNSUPPORTED', 'NO_GEOREFERENCE', 'CORRUPT_DATA', 'TRUNCATED_FILE']).toContain(
          (err as TidemarkError).code,
        );
        expect((err as Error).message.length).toBeGreaterThan(20);
      }
    },
  );

  it.each([
    // GDAL's mask band (gdal_translate -b mask) counts of masked pixels.
    ['peers/rio-cogeo/image_rgb_mask.tif', 'internal mask', 25000],
    ['peers/rasterio/RGB2.byte.tif', 'external .msk', 185161],
    ['peers/rio-cogeo/image_rgba.tif', 'alpha band (all opaque)', 0],
  ])('%s: honours its %s', async (rel, _, masked) => {
    const source = await openGeoTiffSource(join(CORPUS, rel), { bands: { green: 1 } });
    const { width, height } = source.info;
    const read = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green']);
    const nan = read.green.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0);
    expect(Math.abs(nan - masked)).toBeLessThanOrEqual(2);
  });
});
