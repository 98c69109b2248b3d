import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneFile } from '../../fixtures/generate-scene.ts';
import { encodeGeoTiff } from '../../fixtures/geotiff-writer.ts';
import { lonLatToUtm } from '../../fixtures/utm-projection.ts';
import { openGeoTiffSource } from '../../sources/geotiff-source.ts';

const BIN = fileURLToPath(new URL('../../bin/tidemark.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tidemark-cli-extract-'));
let scenePath: string;
let bigScenePath: string;

beforeAll(() => {
  scenePath = join(dir, 'coast.tif');
  writeSceneFile({ sizePx: 256, year: 2020, seed: 5, noise: 0.03 }, scenePath);
  bigScenePath = join(dir, 'big.tif');
  writeSceneFile({ sizePx: 1024, year: 2020, seed: 5, noise: 0.03 }, bigScenePath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [BIN, 'extract', ...args], {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Spawn options under which directory permissions apply: root ignores them, so as root the command runs as
 * the user nobody, from the TypeScript sources (it may not write the bundle cache under node_modules).
 */
function withoutPrivileges(): SpawnOptions {
  if (process.getuid?.() !== 0) return {};
  return { uid: 65534, gid: 65534, env: { ...process.env, TIDEMARK_NO_BUNDLE: '1' } };
}

function finish(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const run = (args: string[]) => finish(start(args));

/** The first IFD entry of a tag in a little-endian classic TIFF (the fixture writer's format). */
function entryAt(bytes: Buffer, tag: number): number {
  const ifd = bytes.readUInt32LE(4);
  for (let e = 0; e < bytes.readUInt16LE(ifd); e++) {
    const at = ifd + 2 + 12 * e;
    if (bytes.readUInt16LE(at) === tag) return at;
  }
  throw new Error(`tag ${tag} not found`);
}

function patchShort(bytes: Buffer, tag: number, value: number): void {
  bytes.writeUInt16LE(value, entryAt(bytes, tag) + 8);
}

function patchLong(bytes: Buffer, tag: number, value: number): void {
  const at = entryAt(bytes, tag);
  if (bytes.readUInt16LE(at + 2) === 3) bytes.writeUInt16LE(value, at + 8);
  else bytes.writeUInt32LE(value, at + 8);
}

function firstTileOffset(bytes: Buffer): number {
  const at = entryAt(bytes, 324);
  const count = bytes.readUInt32LE(at + 4);
  return count === 1 ? bytes.readUInt32LE(at + 8) : bytes.readUInt32LE(bytes.readUInt32LE(at + 8));
}

/** A fresh output directory, to check that a failed run leaves nothing behind (no temp files either). */
function outDir(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
}

describe('tidemark extract', () => {
  it('writes a GeoJSON FeatureCollection to --out', async () => {
    const out = join(outDir('ok'), 'shore.geojson');
    const r = await run([scenePath, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(0);
    expect(fc.features[0].properties).toMatchObject({ index: 'mndwi', scene: 'coast.tif', epsg: 32648 });
    expect(fc.features[0].properties.date).toMatch(/^2020-\d\d-\d\d$/);
    expect(readdirSync(join(dir, 'ok'))).toEqual(['shore.geojson']);
    expect(r.stderr).toMatch(/coast\.tif: 1 shoreline/);
  });

  it('writes to stdout without --out, honouring the flags', async () => {
    const r = await run([
      scenePath,
      '--date',
      '2019-12-31',
      '--index',
      'ndwi',
      '--threshold',
      '0.1',
      '--min-length',
      '50',
      '--workers',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const fc = JSON.parse(r.stdout);
    expect(fc.features[0].properties).toMatchObject({ date: '2019-12-31', index: 'ndwi', threshold: 0.1 });
  });

  it.each([
    [['--bands', 'green=3,nir'], /--bands: "nir" is not KEY=N/],
    [['--bands', 'blue=1'], /unknown band "blue"/],
    [['--date', '2021-02-30'], /--date "2021-02-30" is not a valid date/],
    [['--index', 'wi2015'], /--index must be one of mndwi, ndwi, awei/],
    [['--threshold', 'high'], /--threshold must be "otsu" or a number/],
    [['--min-length', '-5'], /--min-length must be a number of metres ≥ 0/],
    [['--max-pixels', 'lots'], /--max-pixels must be a number > 0/],
    [['--workers', '0'], /--workers must be a whole number > 0/],
    [
      ['--workers', String(4 * availableParallelism() + 1)],
      new RegExp(
        `--workers must be at most ${4 * availableParallelism()} \\(4 × the ${availableParallelism()} available cores?\\), got ${4 * availableParallelism() + 1}$`,
        'm',
      ),
    ],
    [['--workers', '1000000'], /--workers must be at most \d+ /],
    [['--cache-mb', '-1'], /--cache-mb must be a number of megabytes ≥ 0/],
    [
      ['--reference', '/nonexistent.geojson'],
      /--reference \/nonexistent\.geojson: cannot read it: no such file\n/,
    ],
    [['--reference-buffer', '100'], /--reference-buffer needs --reference/],
    [
      ['--mask', '/nonexistent-mask.tif'],
      /^error: --mask \/nonexistent-mask\.tif: cannot read it: no such file$/m,
    ],
    [['--mask', ''], /--mask needs a GeoTIFF file/],
    [['--out', '/nonexistent-dir/x.geojson'], /directory \/nonexistent-dir does not exist/],
    [['--out', ''], /^error: --out is empty: give the path of a file$/m],
  ])('rejects bad flags %j', async (flags, message) => {
    const r = await run([scenePath, ...flags]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stdout).toBe('');
  });

  const badFiles: [string, () => string, RegExp][] = [
    [
      'a file that is not a TIFF',
      () => {
        const p = join(dir, 'readme.tif');
        writeFileSync(p, '# not a raster\n');
        return p;
      },
      /not a TIFF file/,
    ],
    [
      'a truncated TIFF',
      () => {
        const p = join(dir, 'cut.tif');
        const bytes = readFileSync(scenePath);
        writeFileSync(p, bytes.subarray(0, bytes.length >> 1));
        return p;
      },
      /truncated/,
    ],
    [
      'a TIFF without georeferencing',
      () => {
        const p = join(dir, 'nogeo.tif');
        const b = new Uint16Array(32 * 32).fill(500);
        writeFileSync(
          p,
          encodeGeoTiff({
            width: 32,
            height: 32,
            bands: [b, b, b],
            bandDescriptions: ['B03', 'B08', 'B11'],
            noGeoreference: true,
          }),
        );
        return p;
      },
      /no georeferencing/,
    ],
    [
      'a scene without the SWIR band',
      () => {
        const p = join(dir, 'rgb.tif');
        const b = new Uint16Array(32 * 32).fill(500);
        writeFileSync(
          p,
          encodeGeoTiff({
            width: 32,
            height: 32,
            bands: [b, b, b],
            bandDescriptions: ['B02', 'B03', 'B04'],
            epsg: 32648,
            geoTransform: [470000, 10, 0, 960000, 0, -10],
          }),
        );
        return p;
      },
      /missing band (swir16|nir).*--bands/,
    ],
    ['a missing file', () => join(dir, 'nope.tif'), /cannot read scene/],
    [
      'a corrupt tile',
      () => {
        const p = join(dir, 'corrupt.tif');
        const bytes = Buffer.from(readFileSync(scenePath));
        const offset = firstTileOffset(bytes);
        bytes.fill(0xff, offset, offset + 32);
        writeFileSync(p, bytes);
        return p;
      },
      /tile 0 of corrupt\.tif is corrupt/,
    ],
    [
      'a dimension bomb',
      () => {
        const p = join(dir, 'bomb.tif');
        const bytes = Buffer.from(readFileSync(scenePath));
        patchLong(bytes, 256, 150_000);
        patchLong(bytes, 257, 150_000);
        writeFileSync(p, bytes);
        return p;
      },
      /150000×150000 .* over the limit/,
    ],
    [
      'an all-nodata scene',
      () => {
        const p = join(dir, 'empty.tif');
        const b = new Uint16Array(64 * 64);
        writeFileSync(
          p,
          encodeGeoTiff({
            width: 64,
            height: 64,
            bands: [b, b, b],
            bandDescriptions: ['B03', 'B08', 'B11'],
            nodata: 0,
            epsg: 32648,
            geoTransform: [470000, 10, 0, 960000, 0, -10],
          }),
        );
        return p;
      },
      /no valid pixels/,
    ],
    [
      'a scene with no water',
      () => {
        const p = join(dir, 'land.tif');
        writeSceneFile({ sizePx: 256, year: 2020, seed: 5, noise: 0.03, surface: 'all-land' }, p);
        return p;
      },
      /shows no water/,
    ],
    [
      'a scene with no land',
      () => {
        const p = join(dir, 'sea.tif');
        writeSceneFile({ sizePx: 256, year: 2020, seed: 5, noise: 0.03, surface: 'all-water' }, p);
        return p;
      },
      /shows no land/,
    ],
    [
      'an unsupported compression',
      () => {
        const p = join(dir, 'j2k.tif');
        const bytes = Buffer.from(readFileSync(scenePath));
        patchShort(bytes, 259, 34712);
        writeFileSync(p, bytes);
        return p;
      },
      /JPEG 2000 compression .* not supported/,
    ],
  ];

  it.each(badFiles)('fails on %s with a clear message and no output file', async (_, make, message) => {
    const d = outDir(`bad-${Math.random().toString(36).slice(2)}`);
    const r = await run([make(), '--out', join(d, 'out.geojson')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(d)).toEqual([]);
  });

  it('stops quietly when the reader of its output goes away (… | head): exit 141, no stack trace', async () => {
    const child = start([scenePath]);
    let stderr = '';
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    // The reader is gone before the lines are written, as with `| true` (or `| head` on a long output).
    child.stdout!.destroy();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });

  it('leaves an existing --out untouched when extraction fails', async () => {
    const d = outDir('keep');
    const out = join(d, 'shore.geojson');
    writeFileSync(out, 'previous result');
    const r = await run([scenePath, '--out', out, '--max-pixels', '100']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/over the limit/);
    expect(readFileSync(out, 'utf8')).toBe('previous result');
    expect(readdirSync(d)).toEqual(['shore.geojson']);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'stops on %s during a large extract: exit %i (128 + the signal), no output file',
    async (signal, code) => {
      const d = outDir(`interrupted-${signal}`);
      const child = start([
        bigScenePath,
        '--out',
        join(d, 'out.geojson'),
        '--window-size',
        '32',
        '--progress',
      ]);
      const done = finish(child);
      await scanStarted(child);
      child.kill(signal);
      const r = await done;
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(new RegExp(`^error: interrupted by ${signal}$`, 'm'));
      expect(readdirSync(d)).toEqual([]);
    },
  );

  it('exits with 143 on a second SIGTERM too', async () => {
    const d = outDir('interrupted-twice');
    const child = start([bigScenePath, '--out', join(d, 'out.geojson'), '--window-size', '32', '--progress']);
    const done = finish(child);
    await scanStarted(child);
    child.kill('SIGTERM');
    // Handshake: the first signal has been handled.
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/SIGTERM: stopping/.test(chunk.toString())) resolve();
      });
    });
    child.kill('SIGTERM');
    expect((await done).code).toBe(143);
    expect(readdirSync(d)).toEqual([]);
  });

  it('keeps the permissions of an --out file it replaces (regression: 0640 became 0644)', async () => {
    const out = join(outDir('mode'), 'shore.geojson');
    writeFileSync(out, 'previous result');
    chmodSync(out, 0o640);
    const r = await run([scenePath, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).type).toBe('FeatureCollection');
    expect(statSync(out).mode & 0o777).toBe(0o640);
  });

  it('documents every option in --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--out',
      '--bands',
      '--mask',
      '--date',
      '--index',
      '--threshold',
      '--min-length',
      '--max-pixels',
      '--workers',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});

describe('tidemark extract: cloud masks and Sentinel-2 radiometry', () => {
  /** The scene's bands as digital numbers (0 = nodata), its grid, and where its shoreline runs unmasked. */
  let pixels: { green: Uint16Array; nir: Uint16Array; swir16: Uint16Array };
  let grid: { width: number; height: number; geoTransform: [number, number, number, number, number, number] };
  beforeAll(async () => {
    const source = await openGeoTiffSource(scenePath);
    const { width, height, geoTransform } = source.info;
    const all = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, ['green', 'nir', 'swir16']);
    await source.close();
    const dn = (a: Float32Array) => Uint16Array.from(a, (v) => (Number.isNaN(v) ? 0 : v));
    pixels = { green: dn(all.green), nir: dn(all.nir), swir16: dn(all.swir16) };
    grid = { width, height, geoTransform };
  });

  function write(
    name: string,
    bands: (Uint16Array | Uint8Array)[],
    options: Record<string, unknown> = {},
  ): string {
    const path = join(dir, name);
    writeFileSync(
      path,
      encodeGeoTiff({
        width: grid.width,
        height: grid.height,
        bands,
        epsg: 32648,
        geoTransform: grid.geoTransform,
        ...options,
      }),
    );
    return path;
  }

  /** Rows 100–159 of the scene under cloud: 1 there, 0 (clear) elsewhere. */
  function cloudBank(): Uint8Array {
    const mask = new Uint8Array(grid.width * grid.height);
    mask.fill(1, 100 * grid.width, 160 * grid.width);
    return mask;
  }

  /** Northings of every vertex of the extracted lines, in UTM metres. */
  function northings(geojson: string): number[] {
    const fc = JSON.parse(geojson) as { features: { geometry: { coordinates: number[][] } }[] };
    return fc.features.flatMap((f) => f.geometry.coordinates.map((p) => lonLatToUtm(p)[1]));
  }

  function insideCloud(northing: number): boolean {
    const [, , , oy, , py] = grid.geoTransform;
    // Lines may reach the centre of the last clear pixel row, half a pixel from the cloud edge.
    return northing < oy + 100 * py - 5.01 && northing > oy + 160 * py + 5.01;
  }

  it('draws no line inside a cloud masked by --mask or by a mask band (--bands …,mask=4)', async () => {
    const clear = await run([scenePath, '--workers', '2']);
    expect(clear.code, clear.stderr).toBe(0);
    // Unmasked, the shoreline crosses the rows the cloud will hide.
    expect(northings(clear.stdout).some(insideCloud)).toBe(true);
    const mask = write('cloud-bank.tif', [cloudBank()]);
    const withFile = await run([scenePath, '--mask', mask, '--workers', '2', '--window-size', '64']);
    expect(withFile.code, withFile.stderr).toBe(0);
    const withBand = await run([
      write('cloud-band.tif', [pixels.green, pixels.nir, pixels.swir16, Uint16Array.from(cloudBank())], {
        bandDescriptions: ['B03', 'B08', 'B11', 'cloud'],
        nodata: 0,
      }),
      '--bands',
      'mask=4',
      '--date',
      '2020-06-01',
      '--workers',
      '2',
    ]);
    expect(withBand.code, withBand.stderr).toBe(0);
    for (const r of [withFile, withBand]) {
      const ys = northings(r.stdout);
      expect(ys.length).toBeGreaterThan(0);
      expect(ys.filter(insideCloud)).toEqual([]);
    }
  });

  it('refuses a --mask on another grid, naming it and the scene grid', async () => {
    const [ox, px, , oy, , py] = grid.geoTransform;
    const shifted = join(dir, 'cloud-shifted.tif');
    writeFileSync(
      shifted,
      encodeGeoTiff({
        width: grid.width,
        height: grid.height,
        bands: [cloudBank()],
        epsg: 32648,
        geoTransform: [ox + 3, px, 0, oy, 0, py],
      }),
    );
    const d = outDir('mask-off-grid');
    const r = await run([scenePath, '--mask', shifted, '--out', join(d, 'shore.geojson')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: coast\.tif: --mask cloud-shifted\.tif is not on the grid of the scene \(EPSG:32648, 256×256 pixels of 10×10 from .*resample it onto the scene's grid first \(e\.g\. gdalwarp -r near /,
    );
    expect(readdirSync(d)).toEqual([]);
  });

  it('applies BOA_ADD_OFFSET to band files named after their bands: the same Otsu threshold as the scene (0.0705, not −0.0025 with the offset lost)', async () => {
    const metadata = {
      ACQUISITION_DATE: '2020-06-01',
      BOA_QUANTIFICATION_VALUE: '10000',
      BOA_ADD_OFFSET_B03: '-1000',
      BOA_ADD_OFFSET_B08: '-1000',
      BOA_ADD_OFFSET_B11: '-1000',
    };
    // Processing baseline ≥ 04.00: DN = reflectance·10000 + 1000; no band descriptions, only file names.
    const plus = (a: Uint16Array) => Uint16Array.from(a, (v) => (v === 0 ? 0 : v + 1000));
    const files = (['green', 'nir', 'swir16'] as const).map((key, k) =>
      write(`S2_${['B03', 'B08', 'B11'][k]}.tif`, [plus(pixels[key])], { nodata: 0, metadata }),
    );
    const reference = await run([scenePath, '--workers', '2']);
    const separate = await run([...files, '--workers', '2']);
    expect(separate.code, separate.stderr).toBe(0);
    const threshold = (out: string) => JSON.parse(out).features[0].properties.threshold as number;
    expect(threshold(separate.stdout)).toBe(threshold(reference.stdout));
    const geometry = (out: string) => JSON.parse(out).features.map((f: { geometry: unknown }) => f.geometry);
    expect(geometry(separate.stdout)).toEqual(geometry(reference.stdout));
  });

  it('tells how to give a missing band for each form of scene, never a --bands it then refuses', async () => {
    const green = write('alone_B03.tif', [pixels.green]);
    const nir = write('alone_B08.tif', [pixels.nir]);
    const single = await run([green]);
    expect(single.code).toBe(1);
    expect(single.stderr).not.toMatch(/--bands/);
    expect(single.stderr).toMatch(/e\.g\. tidemark extract alone_B03\.tif T48PVS_B11\.tif\n$/);
    const files = await run([green, nir, '--index', 'mndwi']);
    expect(files.stderr).toMatch(/--bands does not apply to one file per band: add a GeoTIFF for it/);
    const item = join(dir, 'no-swir.json');
    writeFileSync(
      item,
      JSON.stringify({
        type: 'Feature',
        stac_version: '1.0.0',
        id: 'no-swir',
        properties: { datetime: '2020-06-01T03:25:00Z' },
        assets: { green: { href: 'alone_B03.tif' }, nir: { href: 'alone_B08.tif' } },
      }),
    );
    const stac = await run([item, '--index', 'mndwi']);
    expect(stac.code).toBe(1);
    expect(stac.stderr).toMatch(/--bands does not apply to a STAC Item: give the item an asset for it/);
    expect(stac.stderr).not.toMatch(/Map it with --bands/);
  });
});

/** Resolves once the child has scanned its first window (it runs with --progress). */
function scanStarted(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      if (/pass 1\/2 scan: [1-9]/.test(chunk.toString())) resolve();
    });
  });
}

describe('tidemark extract --out: never over an input, clear write errors', () => {
  /** A scene the unprivileged user can read too (the test directory is private). */
  let shared: string;
  let sharedScene: string;
  let sharedBigScene: string;
  beforeAll(() => {
    shared = mkdtempSync(join(tmpdir(), 'tidemark-cli-extract-shared-'));
    chmodSync(shared, 0o755);
    sharedScene = join(shared, 'coast.tif');
    copyFileSync(scenePath, sharedScene);
    sharedBigScene = join(shared, 'big.tif');
    copyFileSync(bigScenePath, sharedBigScene);
    for (const file of [sharedScene, sharedBigScene]) chmodSync(file, 0o644);
  });
  afterAll(() => rmSync(shared, { recursive: true, force: true }));

  /** A copy of the scene, with a symlink and a hard link to it, alone in a fresh directory. */
  function sceneCopy(name: string): { d: string; scene: string } {
    const d = outDir(name);
    const scene = join(d, 'scene.tif');
    copyFileSync(scenePath, scene);
    symlinkSync(scene, join(d, 'symlink.tif'));
    linkSync(scene, join(d, 'hardlink.tif'));
    return { d, scene };
  }

  // Paths relative to the scene's directory, the working directory of the run.
  it.each([
    ['the scene itself', 'scene.tif', 'scene.tif'],
    ['the scene by its absolute path', 'scene.tif', 'ABSOLUTE/scene.tif'],
    ['a symlink to the scene', 'scene.tif', 'symlink.tif'],
    ['the scene, given as a symlink', 'symlink.tif', 'scene.tif'],
    ['a hard link to the scene', 'scene.tif', 'hardlink.tif'],
  ])(
    'refuses an --out that is %s, before any work, and leaves the scene intact',
    async (name, input, outArg) => {
      const { d, scene } = sceneCopy(`same-${name.replace(/\W+/g, '-')}`);
      const out = outArg.replace('ABSOLUTE', d);
      const before = readFileSync(scene);
      const r = await finish(start([input, '--out', out], { cwd: d }));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: --out ${out} is the same file as the scene ${input}\n`);
      expect(readFileSync(scene).equals(before)).toBe(true);
      expect(readdirSync(d).sort()).toEqual(['hardlink.tif', 'scene.tif', 'symlink.tif']);
    },
  );

  it('refuses an --out that is the --reference file', async () => {
    const d = outDir('same-reference');
    const reference = join(d, 'reference.geojson');
    writeFileSync(reference, '{"type":"FeatureCollection","features":[]}');
    const r = await run([scenePath, '--reference', reference, '--out', reference]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --out ${reference} is the same file as --reference ${reference}\n`);
  });

  it('refuses an --out under a regular file', async () => {
    const r = await run([scenePath, '--out', join(scenePath, 'x.geojson')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: --out: ${scenePath} is not a directory\n`);
  });

  it('refuses an --out in a directory it may not write to, before any work', async () => {
    const d = join(shared, 'read-only');
    mkdirSync(d, { mode: 0o555 });
    chmodSync(d, 0o555);
    const out = join(d, 'x.geojson');
    const r = await finish(start([sharedScene, '--out', out], withoutPrivileges()));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot write ${out}: permission denied\n`);
    expect(readdirSync(d)).toEqual([]);
  });

  it('names --out and the reason when writing fails after the extraction, and leaves no temp file', async () => {
    const d = join(shared, 'becomes-read-only');
    mkdirSync(d);
    chmodSync(d, 0o777);
    const out = join(d, 'x.geojson');
    const child = start(
      [sharedBigScene, '--out', out, '--window-size', '64', '--progress'],
      withoutPrivileges(),
    );
    const done = finish(child);
    // Handshake: the output directory was checked at the start; it becomes read-only while the scene is read.
    await scanStarted(child);
    chmodSync(d, 0o555);
    const r = await done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: cannot write ${out}: permission denied$`, 'm'));
    expect(r.stderr).not.toMatch(/unexpected|\.tmp|EACCES/);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe('tidemark extract --proxy vegetation', () => {
  let mudPath: string;
  beforeAll(() => {
    mudPath = join(dir, 'mud.tif');
    writeSceneFile(
      {
        sizePx: 256,
        heightPx: 192,
        year: 2017,
        seed: 5,
        noise: 0.03,
        firstYear: 2017,
        lastYear: 2017,
        mudflat: { tideRangeM: 1, slope: 0.002 },
      },
      mudPath,
    );
  });

  it('writes the vegetation edge', async () => {
    const out = join(outDir('veg'), 'edge.geojson');
    const r = await run([mudPath, '--proxy', 'vegetation', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const fc = JSON.parse(readFileSync(out, 'utf8'));
    expect(fc.features.length).toBeGreaterThan(0);
    expect(fc.features[0].properties).toMatchObject({ proxy: 'vegetation', index: 'ndvi', scene: 'mud.tif' });
    expect(r.stderr).toMatch(/mud\.tif: 1 vegetation edge/);
  });

  it('names the red band a scene lacks, and writes nothing', async () => {
    const d = outDir('veg-missing-red');
    const r = await run([scenePath, '--proxy', 'vegetation', '--out', join(d, 'edge.geojson')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing band red \(Sentinel-2 B04, Landsat 8\/9 SR_B4\)/);
    expect(readdirSync(d)).toEqual([]);
  });

  it.each([
    [['--proxy', 'tide'], /--proxy must be waterline or vegetation, got "tide"/],
    [['--proxy', 'vegetation', '--index', 'ndwi'], /--index cannot be used with --proxy vegetation/],
    [['--proxy', 'vegetation', '--workers', '1', '--window-size', '64'], /--window-size, --workers cannot/],
    [['--proxy', 'vegetation', '--threshold', '3'], /NDVI threshold must be/],
  ])('rejects %j', async (args, message) => {
    const r = await run([mudPath, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
