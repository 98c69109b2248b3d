import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSceneFile } from '../../fixtures/generate-scene.ts';
import { encodeGeoTiff } from '../../fixtures/geotiff-writer.ts';

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

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, 'extract', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    [['--cache-mb', '-1'], /--cache-mb must be a number of megabytes ≥ 0/],
    [
      ['--reference', '/nonexistent.geojson'],
      /--reference \/nonexistent\.geojson: cannot read it \(ENOENT\)/,
    ],
    [['--reference-buffer', '100'], /--reference-buffer needs --reference/],
    [['--out', '/nonexistent-dir/x.geojson'], /directory \/nonexistent-dir does not exist/],
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

  it('stops on Ctrl-C during a large extract: exit 130, no output file, no stray threads', async () => {
    const d = outDir('interrupted');
    const child = start([bigScenePath, '--out', join(d, 'out.geojson'), '--window-size', '32', '--progress']);
    const done = finish(child);
    // Handshake: interrupt once the first windows have been scanned.
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        if (/pass 1\/2 scan: [1-9]/.test(chunk.toString())) resolve();
      });
    });
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted by SIGINT/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('documents every option in --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--out',
      '--bands',
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
    expect(r.stderr).toMatch(/missing band red, red \(Sentinel-2 B04, Landsat 8\/9 SR_B4\)/);
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
