import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { type SceneSpec, type SceneTruth, writeSceneFile } from '../fixtures/generate-scene.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { lonLatToUtm } from '../fixtures/utm-projection.ts';
import { type Line, lineAccuracy } from '../pipeline/line-accuracy.ts';
import { openGeoTiffSource } from '../sources/geotiff-source.ts';
import type { GeoTransform } from '../sources/scene-source.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import { type ExtractOptions, type ExtractResult, extractScene } from './extract-scene.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-extract-'));
const SCENES = fileURLToPath(new URL('../fixtures/scenes/', import.meta.url));
let pool: ExtractPool;

beforeAll(() => {
  pool = createExtractPool({ threads: 2 });
});
afterAll(async () => {
  await pool.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** A generated scene (deterministic from its spec) with its truth, written once per spec. */
const generated = new Map<string, { path: string; truth: SceneTruth }>();
function scene(name: string, spec: SceneSpec): { path: string; truth: SceneTruth } {
  let s = generated.get(name);
  if (!s) {
    const path = join(dir, `${name}.tif`);
    s = { path, truth: writeSceneFile(spec, path) };
    generated.set(name, s);
  }
  return s;
}

const coast = () => scene('coast', { sizePx: 320, year: 2021, seed: 11, noise: 0.03 });

function extract(path: string | string[], options: ExtractOptions = {}): Promise<ExtractResult> {
  return extractScene(path, options, { pool });
}

async function failure(path: string | string[], options: ExtractOptions = {}): Promise<TidemarkError> {
  try {
    await extract(path, options);
  } catch (err) {
    expect(err).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error(`expected extracting ${path} to fail`);
}

function utmLines(result: ExtractResult): Line[] {
  return result.shorelines.features.map((f) =>
    (f.geometry.coordinates as number[][]).map((p) => lonLatToUtm(p)),
  );
}

/** Where a line can be extracted at all: inside the outermost pixel centres of the scene. */
function extractableBox(result: ExtractResult) {
  const [ox, px, , oy, , py] = result.scene.geoTransform;
  const x1 = ox + result.scene.width * px;
  const y1 = oy + result.scene.height * py;
  return {
    minX: Math.min(ox, x1) + Math.abs(px) / 2,
    maxX: Math.max(ox, x1) - Math.abs(px) / 2,
    minY: Math.min(oy, y1) + Math.abs(py) / 2,
    maxY: Math.max(oy, y1) - Math.abs(py) / 2,
  };
}

describe('extractScene on a Ca Mau-like scene with ponds', () => {
  it('follows the true shoreline within 5 m RMSE and draws no pond outline', async () => {
    const { path, truth } = coast();
    const result = await extract(path);
    const accuracy = lineAccuracy(truth.truthUtm as unknown as Line[], utmLines(result), {
      stepM: 5,
      nearM: 10,
      farM: 30,
      box: extractableBox(result),
    });
    expect(accuracy.rmseM).toBeLessThanOrEqual(5);
    expect(accuracy.completeness).toBeGreaterThan(0.99);
    // No pond outline: every part of our line is within 3 px of the true coast.
    expect(accuracy.falseShare).toBe(0);
    expect(result.shorelines.features).toHaveLength(truth.truthUtm.length);
  });

  it('uses the committed fixture series when present', async () => {
    const committed = existsSync(SCENES)
      ? ['ca-mau-2016', 'ca-mau-2025'].filter((n) => existsSync(join(SCENES, `${n}.tif`)))
      : [];
    for (const name of committed) {
      const result = await extract(join(SCENES, `${name}.tif`));
      const truth = JSON.parse(readFileSync(join(SCENES, `${name}.truth.geojson`), 'utf8')) as {
        features: { geometry: { coordinates: number[][] } }[];
      };
      const truthUtm = truth.features.map((f) => f.geometry.coordinates.map((p) => lonLatToUtm(p)));
      const accuracy = lineAccuracy(truthUtm, utmLines(result), {
        stepM: 5,
        nearM: 10,
        farM: 30,
        box: extractableBox(result),
      });
      expect(accuracy.rmseM, name).toBeLessThanOrEqual(5);
      expect(accuracy.falseShare, name).toBe(0);
    }
  });

  it('labels every feature with date, index, threshold, scene, epsg and length', async () => {
    const { path, truth } = coast();
    const result = await extract(path);
    expect(result.scene.date).toBe(truth.date);
    expect(result.waterFraction).toBeGreaterThan(0.2);
    expect(result.waterFraction).toBeLessThan(0.8);
    for (const f of result.shorelines.features) {
      expect(f.geometry.type).toBe('LineString');
      expect(f.properties).toEqual({
        date: truth.date,
        index: 'mndwi',
        threshold: expect.any(Number),
        scene: 'coast.tif',
        epsg: 32648,
        length_m: expect.any(Number),
      });
      expect(f.properties.threshold).toBeCloseTo(result.threshold, 5);
      expect(f.properties.length_m).toBeGreaterThan(200);
    }
  });

  it('puts the sea on the right of every line, like the truth', async () => {
    const { path } = coast();
    const result = await extract(path);
    const line = utmLines(result)[0]!;
    // The fixture's sea is to the west: walking north → south, west is on the right.
    expect(line[0]![1]).toBeGreaterThan(line[line.length - 1]![1]);
  });

  it('gives identical lines whatever the window size (seams leave no gap, duplicate or zig-zag)', async () => {
    const { path } = coast();
    const whole = await extract(path, { windowSize: 320 });
    for (const windowSize of [64, 37]) {
      const cut = await extract(path, { windowSize });
      expect(cut.shorelines).toEqual(whole.shorelines);
      expect(cut.threshold).toBe(whole.threshold);
    }
  });

  it('gives identical lines whether pass 2 reuses the pixels pass 1 kept, some of them, or none', async () => {
    const { path } = coast();
    const kept = await extract(path, { windowSize: 64 });
    // A 64² window keeps 2 × 16 kB (index and band): a 100 kB cache holds 3 windows, the rest are read again.
    for (const pixelCacheBytes of [0, 100_000]) {
      const other = await extract(path, { windowSize: 64, pixelCacheBytes });
      expect(other.shorelines).toEqual(kept.shorelines);
      expect(other.waterFraction).toBe(kept.waterFraction);
    }
  });

  it('honours a fixed threshold, the NDWI index and the minimum length', async () => {
    const { path } = coast();
    const fixed = await extract(path, { threshold: 0.05 });
    expect(fixed.threshold).toBe(0.05);
    expect(fixed.shorelines.features[0]!.properties.threshold).toBe(0.05);
    const n = await extract(path, { index: 'ndwi' });
    expect(n.shorelines.features[0]!.properties.index).toBe('ndwi');
    const err = await failure(path, { minLengthM: 1e7 });
    expect(err.code).toBe('NO_SHORELINE');
    expect(err.message).toMatch(/at least 10000000 m/);
  });

  it('draws no line inside a cloud masked by the SCL band: the coast stops at the cloud edge', async () => {
    const { path } = coast();
    const source = await openGeoTiffSource(path);
    const { width, height, geoTransform } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    const toDn = (a: Float32Array) => Uint16Array.from(a, (v) => (Number.isNaN(v) ? 0 : v));
    const scl = new Uint16Array(width * height).fill(4);
    // A cloud bank across the whole scene, rows 120–179: it hides the coast there.
    scl.fill(9, 120 * width, 180 * width);
    const cloudy = join(dir, 'cloudy.tif');
    writeFileSync(
      cloudy,
      encodeGeoTiff({
        width,
        height,
        bands: [toDn(all.green), toDn(all.nir), toDn(all.swir16), scl],
        bandDescriptions: ['B03', 'B08', 'B11', 'SCL'],
        epsg: 32648,
        geoTransform,
        nodata: 0,
        metadata: { ACQUISITION_DATE: '2021-01-01' },
      }),
    );
    const result = await extract(cloudy);
    expect(result.shorelines.features).toHaveLength(2);
    const cloudTop = geoTransform[3] + 120 * geoTransform[5];
    const cloudBottom = geoTransform[3] + 180 * geoTransform[5];
    for (const line of utmLines(result)) {
      for (const [, northing] of line) {
        // Lines may reach the centre of the last clear pixel row, half a pixel from the cloud edge.
        expect(northing > cloudTop - 5.01 || northing < cloudBottom + 5.01).toBe(true);
      }
    }
  });

  it('reads a STAC Item of one GeoTIFF per band and finds the same shoreline', async () => {
    const { path } = coast();
    const source = await openGeoTiffSource(path);
    const { width, height, geoTransform } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    const assets: Record<string, unknown> = {};
    for (const [key, name] of [
      ['green', 'B03'],
      ['nir', 'B08'],
      ['swir16', 'B11'],
    ] as const) {
      const file = join(dir, `coast-${name}.tif`);
      const dn = Uint16Array.from(all[key], (v) => (Number.isNaN(v) ? 0 : v));
      writeFileSync(
        file,
        encodeGeoTiff({
          width,
          height,
          bands: [dn],
          bandDescriptions: [name],
          epsg: 32648,
          geoTransform,
          nodata: 0,
        }),
      );
      assets[name] = { href: `./coast-${name}.tif`, 'eo:bands': [{ name, common_name: key }] };
    }
    const itemPath = join(dir, 'coast-item.json');
    writeFileSync(
      itemPath,
      JSON.stringify({
        type: 'Feature',
        stac_version: '1.0.0',
        id: 'coast',
        properties: { datetime: '2021-06-01T03:25:00Z' },
        assets,
      }),
    );
    const fromItem = await extract(itemPath, { windowSize: 100 });
    const fromTiff = await extract(path);
    expect(fromItem.shorelines.features.map((f) => f.geometry)).toEqual(
      fromTiff.shorelines.features.map((f) => f.geometry),
    );
    expect(fromItem.shorelines.features[0]!.properties).toMatchObject({
      scene: 'coast-item.json',
      date: '2021-06-01T03:25:00Z',
    });
  });

  it('extracts an http(s) COG in place through range requests, like the local file, fetching no byte twice', async () => {
    const { path } = coast();
    const bytes = readFileSync(path);
    const ranges: string[] = [];
    const server = createServer((req, res) => {
      ranges.push(req.headers.range ?? 'all');
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (!range) {
        res.writeHead(200).end(bytes);
        return;
      }
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), bytes.length - 1);
      res
        .writeHead(206, { 'content-range': `bytes ${start}-${end}/${bytes.length}` })
        .end(bytes.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const remote = await extract(`http://127.0.0.1:${port}/coast.tif`);
      const local = await extract(path);
      expect(remote.shorelines).toEqual(local.shorelines);
      // The headers are read once, by the main thread: the workers restore its source (source-snapshot.ts)
      // instead of fetching them again, and each tile is fetched once (pass 2 reuses pass 1's pixels).
      expect(ranges.length).toBeGreaterThan(1);
      expect(ranges.filter((r, i) => ranges.indexOf(r) !== i)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('extracts with AWEI on reflectance, and refuses AWEI without a reflectance scale', async () => {
    const { path, truth } = coast();
    const source = await openGeoTiffSource(path);
    const { width, height, geoTransform } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    const dn = (a: Float32Array, k = 1) =>
      Uint16Array.from(a, (v) => (Number.isNaN(v) ? 0 : Math.round(v * k)));
    const write = (name: string, metadata: Record<string, string>) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        encodeGeoTiff({
          width,
          height,
          // SWIR 2.2 µm about 0.6 × SWIR 1.6 µm over both water and mangrove.
          bands: [dn(all.green), dn(all.nir), dn(all.swir16), dn(all.swir16, 0.6)],
          bandDescriptions: ['B03', 'B08', 'B11', 'B12'],
          epsg: 32648,
          geoTransform,
          nodata: 0,
          metadata: { ACQUISITION_DATE: '2021-01-01', ...metadata },
        }),
      );
      return file;
    };
    const result = await extract(write('awei.tif', { BOA_QUANTIFICATION_VALUE: '10000' }), { index: 'awei' });
    expect(result.shorelines.features[0]!.properties.index).toBe('awei');
    const accuracy = lineAccuracy(truth.truthUtm as unknown as Line[], utmLines(result), {
      stepM: 5,
      nearM: 10,
      farM: 30,
      box: extractableBox(result),
    });
    expect(accuracy.rmseM).toBeLessThanOrEqual(5);
    expect(accuracy.falseShare).toBe(0);
    const err = await failure(write('awei-dn.tif', {}), { index: 'awei' });
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/AWEI needs surface reflectance/);
  });

  /** The scene's pixels written again in another CRS, with another geotransform; the new file's path. */
  async function coastIn(path: string, name: string, epsg: number, geoTransform: GeoTransform) {
    const source = await openGeoTiffSource(path);
    const { width, height } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    await source.close();
    const dn = (a: Float32Array) => Uint16Array.from(a, (v) => (Number.isNaN(v) ? 0 : v));
    const file = join(dir, name);
    writeFileSync(
      file,
      encodeGeoTiff({
        width,
        height,
        bands: [dn(all.green), dn(all.nir), dn(all.swir16)],
        bandDescriptions: ['B03', 'B08', 'B11'],
        epsg,
        geoTransform,
        nodata: 0,
        metadata: { ACQUISITION_DATE: '2021-01-01' },
      }),
    );
    return file;
  }

  it('works in a geographic CRS, measuring lengths geodesically', async () => {
    const { path } = coast();
    // About 10 m pixels at 8.7° N: 1e-4° of latitude is 11.06 m, of longitude 10.99 m.
    const file = await coastIn(path, 'coast-4326.tif', 4326, [104.7, 0.00009, 0, 8.7, 0, -0.00009]);
    const geographic = await extract(file);
    const projected = await extract(path);
    const f = geographic.shorelines.features[0]!;
    expect(f.properties.epsg).toBe(4326);
    // Same pixels, pixels ~0.99 × as long: the length follows.
    const ratio = f.properties.length_m / projected.shorelines.features[0]!.properties.length_m;
    expect(ratio).toBeGreaterThan(0.97);
    expect(ratio).toBeLessThan(1.01);
    const [lon, lat] = (f.geometry.coordinates as number[][])[0]!;
    expect(lon).toBeGreaterThan(104.7);
    expect(lat).toBeLessThan(8.7);
  });

  it('measures length_m on the ground, not in the units of the CRS (Web Mercator at 52° N)', async () => {
    const { path } = coast();
    // The same pixels, 10 Web Mercator units each, with the north edge at 52° N: there a unit is cos 52° =
    // 0.616 m on the ground, so the line is that much shorter than the one traced in 10 m UTM pixels.
    const R = 6_378_137;
    const north = R * Math.log(Math.tan(Math.PI / 4 + (52 * Math.PI) / 360));
    const west = R * ((105 * Math.PI) / 180);
    const file = await coastIn(path, 'coast-3857.tif', 3857, [west, 10, 0, north, 0, -10]);
    const mercator = (await extract(file)).shorelines.features[0]!;
    const utm = (await extract(path)).shorelines.features[0]!;
    expect(mercator.properties.epsg).toBe(3857);
    const midLat = (mercator.geometry.coordinates as number[][])[0]![1]!;
    expect(midLat).toBeGreaterThan(51.9);
    expect(mercator.properties.length_m / utm.properties.length_m).toBeCloseTo(
      Math.cos((midLat * Math.PI) / 180),
      2,
    );
  });

  it('keeps only shoreline near a reference, and says so when none is', async () => {
    const { path, truth } = coast();
    const whole = await extract(path);
    const near = await extract(path, { reference: { geojson: truth.truth, bufferM: 100 } });
    expect(near.shorelines).toEqual(whole.shorelines);
    // Only the northern half of the true coast as reference: the line stops about 100 m past its end.
    const line = truth.truth.features[0]!.geometry.coordinates;
    const half = { type: 'LineString', coordinates: line.slice(0, Math.floor(line.length / 2)) };
    const part = await extract(path, { reference: { geojson: half, bufferM: 100 } });
    const total = (r: ExtractResult) => r.shorelines.features.reduce((s, f) => s + f.properties.length_m, 0);
    expect(total(part)).toBeLessThan(0.7 * total(whole));
    expect(total(part)).toBeGreaterThan(0.4 * total(whole));
    // A reference in projected metres (UTM here), not GeoJSON's longitude/latitude, is refused as such.
    const utm = {
      type: 'LineString',
      coordinates: [
        [500_000, 960_000],
        [501_000, 961_000],
      ],
    };
    const projected = await failure(path, { reference: { geojson: utm, bufferM: 100 } });
    expect(projected.code).toBe('INVALID_INPUT');
    expect(projected.message).toMatch(/\(500000, 960000\) is not a longitude\/latitude in degrees.*ogr2ogr/);
    // A reference for another coast: nothing of it comes near the scene.
    const elsewhere = { type: 'LineString', coordinates: line.map(([lon, lat]) => [lon! + 10, lat!]) };
    const far = await failure(path, { reference: { geojson: elsewhere, bufferM: 100 } });
    expect(far.code).toBe('NO_SHORELINE');
    expect(far.message).toMatch(/the reference does not come within 100 m of the scene/);
    // A reference 3 km inland finds nothing.
    const inland = { type: 'LineString', coordinates: line.map(([lon, lat]) => [lon! + 0.03, lat!]) };
    const err = await failure(path, { reference: { geojson: inland, bufferM: 100 } });
    expect(err.code).toBe('NO_SHORELINE');
    expect(err.message).toMatch(/reference/);
    expect(
      (await failure(path, { reference: { geojson: { type: 'Point', coordinates: [0, 0] }, bufferM: 100 } }))
        .code,
    ).toBe('INVALID_INPUT');
    expect((await failure(path, { reference: { geojson: truth.truth, bufferM: 0 } })).code).toBe(
      'INVALID_INPUT',
    );
  });

  it('reads one GeoTIFF per band (named by description or by file name) like the multi-band file', async () => {
    const { path } = coast();
    const source = await openGeoTiffSource(path);
    const { width, height, geoTransform } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    const files: string[] = [];
    for (const [key, name, described] of [
      ['green', 'B03', true],
      ['nir', 'B08', false],
      ['swir16', 'B11', false],
    ] as const) {
      const file = join(dir, `T48PVS_${name}.tif`);
      const dn = Uint16Array.from(all[key], (v) => (Number.isNaN(v) ? 0 : v));
      writeFileSync(
        file,
        encodeGeoTiff({
          width,
          height,
          bands: [dn],
          ...(described ? { bandDescriptions: [name] } : {}),
          epsg: 32648,
          geoTransform,
          nodata: 0,
        }),
      );
      files.push(file);
    }
    const separate = await extract(files, { date: '2021-06-01' });
    const together = await extract(path);
    expect(separate.shorelines.features.map((f) => f.geometry)).toEqual(
      together.shorelines.features.map((f) => f.geometry),
    );
    expect(separate.shorelines.features[0]!.properties.scene).toBe(
      'T48PVS_B03.tif+T48PVS_B08.tif+T48PVS_B11.tif',
    );
    const err = await failure([files[0]!, files[1]!], { index: 'mndwi', date: '2021-06-01' });
    expect(err.code).toBe('MISSING_BAND');
  });

  it('uses --bands and --date over the file', async () => {
    const { path } = coast();
    const result = await extract(path, { bands: { green: 1, nir: 2, swir16: 3 }, date: '2001-02-03' });
    expect(result.scene.date).toBe('2001-02-03');
    expect(result.shorelines.features[0]!.properties.date).toBe('2001-02-03');
  });
});

describe('extractScene rejects bad input with a clear error', () => {
  const bytesOf = () => readFileSync(coast().path);

  it('NOT_A_TIFF', async () => {
    const path = join(dir, 'notes.tif');
    writeFileSync(path, 'these are field notes, not a raster');
    expect((await failure(path)).code).toBe('NOT_A_TIFF');
  });

  it('TRUNCATED_FILE', async () => {
    const bytes = bytesOf();
    const path = join(dir, 'truncated.tif');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await failure(path)).code).toBe('TRUNCATED_FILE');
  });

  it('NO_GEOREFERENCE', async () => {
    const path = join(dir, 'nogeo.tif');
    const band = new Uint16Array(64 * 64).fill(1000);
    writeFileSync(
      path,
      encodeGeoTiff({
        width: 64,
        height: 64,
        bands: [band, band, band],
        bandDescriptions: ['B03', 'B08', 'B11'],
        noGeoreference: true,
      }),
    );
    expect((await failure(path)).code).toBe('NO_GEOREFERENCE');
  });

  it('MISSING_BAND, naming the band and the --bands flag', async () => {
    const path = join(dir, 'two-bands.tif');
    const band = new Uint16Array(64 * 64).fill(1000);
    writeFileSync(
      path,
      encodeGeoTiff({
        width: 64,
        height: 64,
        bands: [band, band],
        bandDescriptions: ['B03', 'B04'],
        epsg: 32648,
        geoTransform: [470000, 10, 0, 960000, 0, -10],
      }),
    );
    const err = await failure(path, { index: 'mndwi' });
    expect(err.code).toBe('MISSING_BAND');
    expect(err.message).toMatch(/swir16/);
    expect(err.message).toMatch(/--bands/);
  });

  it('UNSUPPORTED naming the compression', async () => {
    const path = join(dir, 'jpeg2000.tif');
    const band = new Uint16Array(64 * 64).fill(1000);
    const bytes = encodeGeoTiff({
      width: 64,
      height: 64,
      bands: [band, band, band],
      bandDescriptions: ['B03', 'B08', 'B11'],
      epsg: 32648,
      geoTransform: [470000, 10, 0, 960000, 0, -10],
      compression: 'none',
    });
    // Claim JPEG 2000 (TIFF compression 34712) in the first directory.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const ifd = view.getUint32(4, true);
    for (let e = 0; e < view.getUint16(ifd, true); e++) {
      if (view.getUint16(ifd + 2 + 12 * e, true) === 259) view.setUint16(ifd + 2 + 12 * e + 8, 34712, true);
    }
    writeFileSync(path, bytes);
    const err = await failure(path);
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toMatch(/JPEG 2000/);
  });

  it('TOO_LARGE for a raster over --max-pixels', async () => {
    expect((await failure(coast().path, { maxPixels: 1000 })).code).toBe('TOO_LARGE');
  });

  it('NO_VALID_PIXELS for an all-nodata scene', async () => {
    const path = join(dir, 'all-nodata.tif');
    const band = new Uint16Array(64 * 64);
    writeFileSync(
      path,
      encodeGeoTiff({
        width: 64,
        height: 64,
        bands: [band, band, band],
        bandDescriptions: ['B03', 'B08', 'B11'],
        nodata: 0,
        epsg: 32648,
        geoTransform: [470000, 10, 0, 960000, 0, -10],
      }),
    );
    expect((await failure(path)).code).toBe('NO_VALID_PIXELS');
  });

  it('NO_SHORELINE for a scene with no water, and one with no land', async () => {
    const land = scene('all-land', { sizePx: 256, year: 2021, seed: 3, noise: 0.03, surface: 'all-land' });
    const water = scene('all-water', { sizePx: 256, year: 2021, seed: 3, noise: 0.03, surface: 'all-water' });
    const noWater = await failure(land.path);
    expect(noWater.code).toBe('NO_SHORELINE');
    expect(noWater.message).toMatch(/no water/);
    const noLand = await failure(water.path);
    expect(noLand.code).toBe('NO_SHORELINE');
    expect(noLand.message).toMatch(/no land/);
  });

  it('NO_SHORELINE when the only water is an inland pond', async () => {
    const path = join(dir, 'pond-only.tif');
    const n = 96;
    const green = new Uint16Array(n * n).fill(700);
    const nir = new Uint16Array(n * n).fill(2500);
    const swir = new Uint16Array(n * n).fill(2200);
    for (let y = 30; y < 60; y++) {
      for (let x = 30; x < 70; x++) {
        green[y * n + x] = 900;
        nir[y * n + x] = 300;
        swir[y * n + x] = 150;
      }
    }
    writeFileSync(
      path,
      encodeGeoTiff({
        width: n,
        height: n,
        bands: [green, nir, swir],
        bandDescriptions: ['B03', 'B08', 'B11'],
        epsg: 32648,
        geoTransform: [470000, 10, 0, 960000, 0, -10],
      }),
    );
    const err = await failure(path);
    expect(err.code).toBe('NO_SHORELINE');
    expect(err.message).toMatch(/no sea/);
  });

  it.each<[string, ExtractOptions]>([
    ['index', { index: 'wi2015' as never }],
    ['threshold', { threshold: 2 }],
    ['threshold', { threshold: Number.NaN }],
    ['minimum length', { minLengthM: -1 }],
    ['max pixels', { maxPixels: 0 }],
    ['window size', { windowSize: 2.5 }],
    ['pixel cache', { pixelCacheBytes: -1 }],
  ])('INVALID_INPUT for a bad %s', async (what, options) => {
    const err = await failure(coast().path, options);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message.toLowerCase()).toContain(what);
  });
});

describe('extractScene keeps the open sea only, not ponds or lakes that reach the scene edge or a cloud', () => {
  // The committed fixture scene made again: the sea along the west side, a cape at rows 200–230 (x ≈ 181).
  const caMau = () => scene('ca-mau-2016', { sizePx: 512, year: 2016, seed: 42, noise: 0.03 });
  const SIZE = 512;

  /**
   * Writes a variant of the Ca Mau scene as a GeoTIFF: columns from x0 only; sea water copied over the
   * pixels `lake(x, y)` picks, land over those `land(x, y)` picks; and an SCL band of class 9 (cloud, high
   * probability) where `cloud(x, y)`.
   */
  async function variant(
    name: string,
    edit: {
      x0?: number;
      lake?: (x: number, y: number) => boolean;
      land?: (x: number, y: number) => boolean;
      cloud?: (x: number, y: number) => boolean;
    },
  ): Promise<{ path: string; truth: SceneTruth }> {
    const { path: full, truth } = caMau();
    const source = await openGeoTiffSource(full);
    const { geoTransform } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: SIZE, y1: SIZE }, ['green', 'nir', 'swir16']);
    await source.close();
    const { x0 = 0, lake = () => false, land = () => false, cloud } = edit;
    const width = SIZE - x0;
    const band = (values: Float32Array) => {
      const out = new Uint16Array(width * SIZE);
      for (let y = 0; y < SIZE; y++) {
        for (let x = x0; x < SIZE; x++) {
          // Columns 0–149 are sea in every row, 262–511 land: a lake gets the sea's water, noise and all.
          const from = lake(x, y) ? x % 150 : land(x, y) ? 262 + (x % 250) : x;
          out[y * width + x - x0] = values[y * SIZE + from]!;
        }
      }
      return out;
    };
    const bands = [band(all.green), band(all.nir), band(all.swir16)];
    if (cloud) {
      const scl = new Uint16Array(width * SIZE);
      for (let y = 0; y < SIZE; y++)
        for (let x = x0; x < SIZE; x++) scl[y * width + x - x0] = cloud(x, y) ? 9 : 4;
      bands.push(scl);
    }
    const path = join(dir, `${name}.tif`);
    writeFileSync(
      path,
      encodeGeoTiff({
        width,
        height: SIZE,
        bands,
        bandDescriptions: ['B03', 'B08', 'B11', 'SCL'].slice(0, bands.length),
        epsg: 32648,
        geoTransform: [
          geoTransform[0] + x0 * geoTransform[1],
          ...geoTransform.slice(1),
        ] as typeof geoTransform,
        nodata: 0,
        metadata: { ACQUISITION_DATE: '2016-03-05' },
      }),
    );
    return { path, truth };
  }

  /** Every line follows the true coast (no lake or pond outline), and covers this share of it at least. */
  function expectCoastOnly(result: ExtractResult, truth: SceneTruth, completeness: number) {
    const accuracy = lineAccuracy(truth.truthUtm as unknown as Line[], utmLines(result), {
      stepM: 5,
      nearM: 10,
      farM: 30,
      box: extractableBox(result),
    });
    expect(accuracy.falseShare).toBe(0);
    expect(accuracy.rmseM).toBeLessThanOrEqual(5);
    expect(accuracy.completeness).toBeGreaterThan(completeness);
  }

  it('regression: NO_SHORELINE when the sea is clouded over (pond edges next to the cloud were returned)', async () => {
    const { path } = await variant('sea-clouded', { cloud: (x) => x < 265 });
    const err = await failure(path);
    expect(err.code).toBe('NO_SHORELINE');
    expect(err.message).toMatch(
      /^sea-clouded\.tif shows no sea \(is it clouded over, or an inland scene\?\)/,
    );
    expect(err.message).toMatch(
      /reaching the scene edge or a masked area covers 0\.0\d+ km².*at least 0\.25 km²/,
    );
  });

  it('regression: NO_SHORELINE for an inland scene whose ponds the scene edge cuts (their edges were returned)', async () => {
    const { path } = await variant('inland', { x0: 265 });
    const err = await failure(path);
    expect(err.code).toBe('NO_SHORELINE');
    expect(err.message).toMatch(/shows no sea \(is it clouded over, or an inland scene\?\)/);
  });

  it('still follows a coast partly under cloud, and the sea split by a cloud bank', async () => {
    const { path, truth } = await variant('coast-clouded', {
      cloud: (x, y) => (y >= 150 && y < 260) || (x < 120 && y >= 300 && y < 400),
    });
    const result = await extract(path);
    expect(result.shorelines.features).toHaveLength(2);
    expectCoastOnly(result, truth, 0.7);
  });

  it('regression: drops a lake that the east side of the scene cuts (it was kept as sea, at 12 % of its area)', async () => {
    const { path, truth } = await variant('lake-east', { lake: (x, y) => x >= 392 && y >= 296 && y < 416 });
    const result = await extract(path);
    expect(result.shorelines.features).toHaveLength(1);
    expectCoastOnly(result, truth, 0.99);
  });

  it('regression: keeps both pieces of a coast the cape splits, not a lake 10× their size (only the lake was kept)', async () => {
    const { path, truth } = await variant('cape-and-lake', {
      x0: 215,
      lake: (x, y) => x >= 295 && y >= 50 && y < 460,
    });
    const result = await extract(path);
    expect(result.shorelines.features).toHaveLength(2);
    expectCoastOnly(result, truth, 0.99);
  });

  it('with a reference, finds a sea that enters through one side only beside a lake at a corner', async () => {
    // Land over the sea's north and south ends: the sea reaches the west side only, the lake two sides. By
    // connectivity the lake is the likelier sea; the reference says otherwise.
    const { path, truth } = await variant('bay-and-corner-lake', {
      land: (x, y) => x < 262 && (y < 100 || y >= 412),
      lake: (x, y) => x >= 400 && y < 100,
    });
    const result = await extract(path, { reference: { geojson: truth.truth, bufferM: 20 } });
    const [, , , oy, , py] = result.scene.geoTransform;
    const accuracy = lineAccuracy(truth.truthUtm as unknown as Line[], utmLines(result), {
      stepM: 5,
      nearM: 10,
      farM: 30,
      box: { ...extractableBox(result), minY: oy + 405 * py, maxY: oy + 105 * py },
    });
    expect(accuracy.falseShare).toBe(0);
    expect(accuracy.completeness).toBeGreaterThan(0.99);
  });
});

describe('extractScene and the pool', () => {
  it('stops with ABORTED when the signal fires, and the pool keeps working', async () => {
    const { path } = coast();
    const controller = new AbortController();
    const run = extractScene(
      path,
      { windowSize: 32 },
      {
        pool,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.stage === 'scan' && p.done === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    const after = await extract(path);
    expect(after.shorelines.features.length).toBeGreaterThan(0);
  });

  it('refuses to start when the signal has already fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(extractScene(coast().path, {}, { pool, signal: controller.signal })).rejects.toThrow();
  });

  it('reports progress for both passes', async () => {
    const stages: string[] = [];
    await extractScene(
      coast().path,
      { windowSize: 160 },
      {
        pool,
        onProgress: (p) => {
          if (p.done === p.total) stages.push(`${p.stage}:${p.total}`);
        },
      },
    );
    expect(stages).toEqual(['scan:4', 'contour:4']);
  });

  it('creates and destroys its own pool when none is given, with workers bundled or run through tsx', async () => {
    const bundled = await extractScene(coast().path, {});
    expect(bundled.shorelines.features.length).toBeGreaterThan(0);
    process.env.TIDEMARK_WORKERS_VIA_TSX = '1';
    try {
      const viaTsx = await extractScene(coast().path, {});
      expect(viaTsx.shorelines).toEqual(bundled.shorelines);
    } finally {
      delete process.env.TIDEMARK_WORKERS_VIA_TSX;
    }
  });
});
