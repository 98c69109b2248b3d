import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { chmod, link, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { MAX_TRANSECT_LENGTH_M, MAX_TRANSECTS } from '../../pipeline/dsas/cast-transects.ts';
import { createProjector } from '../../pipeline/dsas/metric-crs.ts';
import type { XY } from '../../pipeline/dsas/types.ts';
import { ratesCommand, runRates } from './rates.ts';

const BIN = fileURLToPath(new URL('../../bin/tidemark.js', import.meta.url));

/** `tidemark rates …` as a user runs it. */
function tidemarkRates(args: string[], options: SpawnSyncOptions = {}) {
  return spawnSync(process.execPath, [BIN, 'rates', ...args], { ...options, encoding: 'utf8' });
}

// A straight coast near Ca Mau in UTM 48N, rotated 20°, sea on the +N side, retreating 1.2 m/yr.
const utm = createProjector(32648);
const ORIGIN: XY = [520_000, 975_000];
const ANGLE = (20 * Math.PI) / 180;
const T: XY = [Math.cos(ANGLE), Math.sin(ANGLE)];
const N: XY = [-Math.sin(ANGLE), Math.cos(ANGLE)];
const RATE = -1.2;
const at = (u: number, v: number): XY => [ORIGIN[0] + u * T[0] + v * N[0], ORIGIN[1] + u * T[1] + v * N[1]];
const lineUtm = (v: number, from = 0, to = 3000): XY[] =>
  Array.from({ length: (to - from) / 50 + 1 }, (_, i) => at(from + i * 50, v));
const lonLat = (line: XY[]) => line.map((p) => utm.toLonLat(p));
const shorelineV = (year: number) => 300 + RATE * (year - 2000);

function featureCollection(features: object[], crs?: string) {
  return {
    type: 'FeatureCollection',
    ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
    features,
  };
}
function lineFeature(coordinates: XY[], properties: object = {}) {
  return { type: 'Feature', properties, geometry: { type: 'LineString', coordinates } };
}

let dir: string;
async function put(name: string, json: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof json === 'string' ? json : JSON.stringify(json));
  return path;
}
async function shorelineFile(year: number, extra: object = {}): Promise<string> {
  return put(
    `shore-${year}.geojson`,
    featureCollection([lineFeature(lonLat(lineUtm(shorelineV(year))), { date: `${year}-01-01`, ...extra })]),
  );
}

let baseline: string;
let shorelines: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidemark-rates-'));
  baseline = await put('baseline.geojson', featureCollection([lineFeature(lonLat(lineUtm(0, 200, 2800)))]));
  shorelines = [];
  for (const year of [2000, 2005, 2010, 2015, 2020]) shorelines.push(await shorelineFile(year));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Output {
  features: { geometry: { coordinates: XY[] }; properties: Record<string, number | string | null> }[];
}
async function readOutput(path: string): Promise<Output> {
  return JSON.parse(await readFile(path, 'utf8')) as Output;
}

describe('tidemark rates', () => {
  it('writes transects with DSAS statistics and forecasts', async () => {
    const out = join(dir, 'transects.geojson');
    const summary = await runRates(shorelines, { baseline, out, spacing: '100', length: '1000' });
    expect(summary).toMatchObject({
      transects: 27,
      shorelines: 5,
      epsg: 32648,
      seaSide: 'left',
      outPath: out,
    });
    const { features } = await readOutput(out);
    expect(features.map((f) => f.properties.transect_id)).toEqual(features.map((_, i) => i + 1));
    for (const f of features) {
      const p = f.properties;
      expect(p.n).toBe(5);
      expect(p.lrr_m_yr as number).toBeCloseTo(RATE, 4);
      expect(p.wlr_m_yr as number).toBeCloseTo(RATE, 4);
      expect(p.epr_m_yr as number).toBeCloseTo(RATE, 4);
      expect(p.nsm_m as number).toBeCloseTo(RATE * 20, 3);
      expect(p.sce_m as number).toBeCloseTo(24, 3);
      expect(p.epr_unc_m_yr as number).toBeCloseTo((Math.SQRT2 * 10) / 20, 6);
      expect(p.lrr_r2 as number).toBeCloseTo(1, 6);
      expect(p.class).toBe('critical_erosion');
      // Distances are from the baseline (v = 0): the forecast is the line extrapolated to 2030 and 2040.
      expect(p.forecast_10y_m as number).toBeCloseTo(shorelineV(2030), 2);
      expect(p.forecast_20y_m as number).toBeCloseTo(shorelineV(2040), 2);
      expect(p.forecast_20y_sigma_m as number).toBeGreaterThan(p.forecast_10y_sigma_m as number);
      // The transect starts on the baseline and runs 1000 m seaward.
      const [a, b] = f.geometry.coordinates.map((q) => utm.fromLonLat(q));
      const vA = (a![0] - ORIGIN[0]) * N[0] + (a![1] - ORIGIN[1]) * N[1];
      const vB = (b![0] - ORIGIN[0]) * N[0] + (b![1] - ORIGIN[1]) * N[1];
      expect(vA).toBeCloseTo(0, 3);
      expect(vB).toBeCloseTo(1000, 3);
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes forecast lines, bands and hazard zones on request', async () => {
    const out = join(dir, 'with-zones.geojson');
    const zones = join(dir, 'zones.geojson');
    await runRates(shorelines, { baseline, out, zones, spacing: '100', length: '1000' });
    const { features } = JSON.parse(await readFile(zones, 'utf8')) as {
      features: { properties: { kind: string; horizon_yr: number; area_m2?: number } }[];
    };
    expect(features.map((f) => [f.properties.kind, f.properties.horizon_yr])).toEqual([
      ['forecast_line', 10],
      ['forecast_band', 10],
      ['hazard_zone', 10],
      ['forecast_line', 20],
      ['forecast_band', 20],
      ['hazard_zone', 20],
    ]);
    // 27 transects 100 m apart: 2600 m of coast; the hazard is at least the 12 m (10 y × 1.2 m/yr) retreat.
    const hazard10 = features[2]!.properties.area_m2!;
    expect(hazard10).toBeGreaterThan(2600 * 12);
    expect(features[5]!.properties.area_m2!).toBeGreaterThan(hazard10);
  });

  it('writes CSV with empty cells for nulls', async () => {
    const out = join(dir, 'three.csv');
    await runRates(shorelines.slice(0, 3), { baseline, out, spacing: '500', length: '1000', format: 'csv' });
    const [header, ...rows] = (await readFile(out, 'utf8')).trim().split('\n');
    expect(header!.split(',').slice(0, 3)).toEqual(['transect_id', 'n', 'nsm_m']);
    expect(header!.split(',')).toContain('forecast_20y_sigma_m');
    expect(rows).toHaveLength(6);
    const cells = rows[0]!.split(',');
    const col = (name: string) => cells[header!.split(',').indexOf(name)];
    expect(Number(col('lrr_m_yr'))).toBeCloseTo(RATE, 4);
    // Three shorelines: an LRR but no forecast.
    expect(col('forecast_10y_m')).toBe('');
  });

  it('gives explicit nulls for LRR with two shorelines', async () => {
    const out = join(dir, 'two.geojson');
    await runRates(shorelines.slice(0, 2), { baseline, out, spacing: '1000', length: '1000' });
    const p = (await readOutput(out)).features[0]!.properties;
    expect(p.lrr_m_yr).toBeNull();
    expect(p.wlr_ci_m_yr).toBeNull();
    expect(p.forecast_10y_m).toBeNull();
    expect(p.epr_m_yr as number).toBeCloseTo(RATE, 4);
  });

  it('notes why regression rates and hazard zones are missing with too few shorelines', async () => {
    const summary = await runRates(shorelines.slice(0, 2), {
      baseline,
      out: join(dir, 'two-notes.geojson'),
      zones: join(dir, 'two-zones.geojson'),
      spacing: '1000',
      length: '1000',
    });
    expect(summary.notes).toEqual([
      expect.stringMatching(/^rates by regression \(LRR, WLR\) need 3 or more shoreline dates; with 2, /),
      expect.stringMatching(/two-zones\.geojson has no forecasts or hazard zones: they need 4 or more/),
    ]);
    expect((await runRates(shorelines, { baseline, out: join(dir, 'all.geojson') })).notes).toEqual([]);
  });

  it('notes a baseline on the wrong side of shorelines that come from tidemark extract', async () => {
    // As extracted: the sea (+N) on the right of the walking direction, and the extract's properties.
    const extracted = await Promise.all(
      [2000, 2010, 2020].map((year) =>
        put(
          `extracted-${year}.geojson`,
          featureCollection([
            lineFeature(lonLat(lineUtm(shorelineV(year)).reverse()), {
              date: `${year}-01-01`,
              scene: `s-${year}.tif`,
              index: 'mndwi',
            }),
          ]),
        ),
      ),
    );
    const inSea = await put(
      'sea-baseline.geojson',
      featureCollection([lineFeature(lonLat(lineUtm(600, 200, 2800)))]),
    );
    const options = { out: join(dir, 'sides.geojson'), spacing: '500', length: '1000' };
    const wrong = await runRates(extracted, { ...options, baseline: inSea });
    expect(wrong.notes).toEqual([
      expect.stringMatching(/^the baseline does not look onshore: 100 % of the extracted shorelines' length/),
    ]);
    expect((await runRates(extracted, { ...options, baseline })).notes).toEqual([]);
    // Placed as it is, offshore, it is fine; and shorelines from elsewhere, which may run either way, are not judged.
    expect((await runRates(extracted, { ...options, baseline: inSea, placement: 'offshore' })).notes).toEqual(
      [],
    );
    expect((await runRates(shorelines.slice(0, 3), { ...options, baseline: inSea })).notes).toEqual([]);
  });

  it('uses user transects, projected inputs and per-feature uncertainty the same way', async () => {
    const transects = await put(
      'transects.geojson',
      featureCollection(
        [500, 1500].map((u) => lineFeature([at(u, -100), at(u, 900)])),
        'EPSG:32648',
      ),
    );
    const utmShore = await put(
      'shore-2025-utm.geojson',
      featureCollection(
        [lineFeature(lineUtm(shorelineV(2025)), { date: '2025-01-01', uncertainty_m: 5 })],
        'EPSG:32648',
      ),
    );
    const out = join(dir, 'user.geojson');
    await runRates([...shorelines, utmShore], { transects, out });
    const { features } = await readOutput(out);
    expect(features).toHaveLength(2);
    const p = features[0]!.properties;
    expect(p.n).toBe(6);
    expect(p.lrr_m_yr as number).toBeCloseTo(RATE, 4);
    // Origin at v = −100: distances are 100 m larger than from the baseline.
    expect(p.forecast_10y_m as number).toBeCloseTo(shorelineV(2035) + 100, 2);
    // U = 5 for the last shoreline: √(10² + 5²)/25.
    expect(p.epr_unc_m_yr as number).toBeCloseTo(Math.hypot(10, 5) / 25, 6);
  });

  it('generates a baseline from the earliest shoreline when told where the sea is', async () => {
    const out = join(dir, 'generated.geojson');
    const summary = await runRates(shorelines, {
      out,
      seaSide: 'left',
      baselineOffset: '200',
      spacing: '250',
    });
    expect(summary.seaSide).toBe('left');
    const { features } = await readOutput(out);
    expect(features.length).toBeGreaterThan(5);
    const mid = features[Math.floor(features.length / 2)]!.properties;
    expect(mid.lrr_m_yr as number).toBeCloseTo(RATE, 3);
  });

  it('runs through commander', async () => {
    const out = join(dir, 'cmd.geojson');
    await ratesCommand().parseAsync(
      [...shorelines, '--baseline', baseline, '--spacing', '1000', '--out', out],
      {
        from: 'user',
      },
    );
    expect((await readOutput(out)).features).toHaveLength(3);
  });

  describe('bad input: a clear error and no output', () => {
    const cases: [string, () => Promise<[string[], Record<string, string>]>, RegExp][] = [
      [
        'a baseline that is not a line',
        async () => [
          shorelines,
          { baseline: await put('point.geojson', { type: 'Point', coordinates: [105, 8.8] }) },
        ],
        /must be a LineString or MultiLineString, found Point/,
      ],
      [
        'a shoreline file without dates',
        async () => [
          [
            shorelines[0]!,
            await put('nodate.geojson', featureCollection([lineFeature(lonLat(lineUtm(310)))])),
          ],
          { baseline },
        ],
        /nodate.geojson: the shoreline has no 'date' property/,
      ],
      [
        'two shoreline files with the same date',
        async () => {
          const again = await put(
            'again-2000.geojson',
            featureCollection([lineFeature(lonLat(lineUtm(305)), { date: '2000-01-01' })]),
          );
          return [[...shorelines, again], { baseline }];
        },
        /duplicate shoreline date 2000-01-01/,
      ],
      [
        'a shoreline in metres without a crs member',
        async () => [
          [
            shorelines[0]!,
            await put(
              'utm-undeclared.geojson',
              featureCollection([lineFeature(lineUtm(310), { date: '2003-01-01' })]),
            ),
          ],
          { baseline },
        ],
        /utm-undeclared.geojson: coordinates such as .* are not longitude\/latitude degrees/,
      ],
      [
        'a shoreline in degrees declared as UTM',
        async () => [
          [
            shorelines[0]!,
            await put(
              'degrees-as-utm.geojson',
              featureCollection([lineFeature(lonLat(lineUtm(310)), { date: '2003-01-01' })], 'EPSG:32648'),
            ),
          ],
          { baseline },
        ],
        /degrees-as-utm.geojson: the file declares EPSG:32648 \(metres\) but its coordinates look like/,
      ],
      ['fewer than 2 shorelines', async () => [[shorelines[0]!], { baseline }], /at least 2 shorelines/],
      [
        'a negative spacing',
        async () => [shorelines, { baseline, spacing: '-50' }],
        /--spacing must be a positive number/,
      ],
      [
        'a non-numeric length',
        async () => [shorelines, { baseline, length: 'far' }],
        /--length must be a number/,
      ],
      [
        'a confidence of 100 %',
        async () => [shorelines, { baseline, confidence: '100' }],
        /--confidence must be below 100/,
      ],
      [
        'an unknown intersection rule',
        async () => [shorelines, { baseline, intersection: 'middle' }],
        /--intersection must be one of/,
      ],
      ['an unknown format', async () => [shorelines, { baseline, format: 'xml' }], /--format must be one of/],
      [
        'a geographic --epsg',
        async () => [shorelines, { baseline, epsg: '4326' }],
        /--epsg must name a metric CRS/,
      ],
      [
        'an unsupported --epsg',
        async () => [shorelines, { baseline, epsg: '27700' }],
        /EPSG:27700 is not supported/,
      ],
      [
        'a file that is not JSON',
        async () => [[shorelines[0]!, await put('bad.geojson', '{"type":')], { baseline }],
        /bad.geojson: the shoreline file is not valid JSON/,
      ],
      [
        'a missing file',
        async () => [[shorelines[0]!, join(dir, 'nope.geojson')], { baseline }],
        /nope.geojson: cannot read the shoreline file/,
      ],
      [
        'both --baseline and --transects',
        async () => [shorelines, { baseline, transects: baseline }],
        /either --baseline or --transects/,
      ],
      [
        'an unwritable --zones path (then neither file is written)',
        async () => [shorelines, { baseline, zones: join(dir, 'missing-dir', 'zones.geojson') }],
        /^--zones: directory .*missing-dir does not exist$/,
      ],
      [
        'an empty --zones value',
        async () => [shorelines, { baseline, zones: '' }],
        /^--zones is empty: give the path of a file$/,
      ],
      [
        'a --length above the maximum',
        async () => [shorelines, { baseline, length: String(MAX_TRANSECT_LENGTH_M + 1) }],
        /^--length must be at most 100000 metres, got 100001$/,
      ],
      [
        'a --spacing that gives too many transects along a generated baseline',
        async () => [shorelines, { seaSide: 'left', spacing: '0.001' }],
        /^--spacing 0.001 would cast [\d,]+ transects along the [\d,]+ m baseline, more than the maximum of 100,000: use --spacing [\d.]+ or more$/,
      ],
      ['no baseline and no sea side', async () => [shorelines, {}], /give --sea-side/],
    ];
    it.each(cases)('%s', async (_name, setup, message) => {
      const [files, opts] = await setup();
      const out = join(dir, 'should-not-exist.geojson');
      const error = await runRates(files, { ...opts, out }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TidemarkError);
      expect((error as Error).message).toMatch(message);
      const left = await readdir(dir);
      expect(left).not.toContain('should-not-exist.geojson');
      expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });
  });
});

describe('tidemark rates: outputs', () => {
  it('checks the --out directory before reading or computing anything (regression: failed only at the end)', async () => {
    // The malformed shoreline would fail first if the inputs were read before --out was checked.
    const bad = await put('unread.geojson', '{"type":');
    const error = await runRates([...shorelines, bad], {
      baseline,
      out: join(dir, 'missing', 'r.json'),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`--out: directory ${join(dir, 'missing')} does not exist`);
  });

  it.each([
    [
      'an empty --out (regression: wrote to standard output)',
      '',
      /^--out is empty: give the path of a file$/,
    ],
    ['an --out under a regular file', 'FILE/r.json', /^--out: .*shore-2000\.geojson is not a directory$/],
  ])('refuses %s', async (_, out, message) => {
    const error = await runRates(shorelines, { baseline, out: out.replace('FILE', shorelines[0]!) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TidemarkError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses --out and --zones naming the same file', async () => {
    const out = join(dir, 'twice.json');
    const error = await runRates(shorelines, { baseline, out, zones: join(dir, '.', 'twice.json') }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      `--out ${out} and --zones ${join(dir, 'twice.json')} are the same file`,
    );
    expect(await readdir(dir)).not.toContain('twice.json');
  });

  describe('never overwrites an input (exit 1, one line naming both, the input unchanged)', () => {
    let d: string;
    let files: string[];
    beforeAll(async () => {
      d = join(dir, 'inputs');
      await mkdir(d);
      files = [];
      for (const year of [2000, 2010]) {
        const path = join(d, `shore-${year}.geojson`);
        await writeFile(path, await readFile(join(dir, `shore-${year}.geojson`)));
        files.push(path);
      }
      await writeFile(join(d, 'baseline.geojson'), await readFile(baseline));
      await symlink(files[0]!, join(d, 'symlink.geojson'));
      await link(files[0]!, join(d, 'hardlink.geojson'));
    });

    it.each([
      ['--out', 'a shoreline file', 'shore-2000.geojson', 'the shoreline file shore-2000.geojson'],
      ['--out', 'a symlink to a shoreline file', 'symlink.geojson', 'the shoreline file shore-2000.geojson'],
      [
        '--out',
        'a hard link to a shoreline file',
        'hardlink.geojson',
        'the shoreline file shore-2000.geojson',
      ],
      ['--zones', 'a shoreline file', 'shore-2010.geojson', 'the shoreline file shore-2010.geojson'],
      ['--out', 'the baseline', 'baseline.geojson', '--baseline baseline.geojson'],
    ])('refuses %s that is %s', async (flag, _, target, input) => {
      const before = await Promise.all([...files, join(d, 'baseline.geojson')].map((f) => readFile(f)));
      const run = tidemarkRates(
        ['shore-2000.geojson', 'shore-2010.geojson', '--baseline', 'baseline.geojson', flag, target],
        { cwd: d },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`error: ${flag} ${target} is the same file as ${input}\n`);
      const after = await Promise.all([...files, join(d, 'baseline.geojson')].map((f) => readFile(f)));
      expect(after).toEqual(before);
      expect((await readdir(d)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('refuses an --out that is the --transects file', async () => {
      const transects = join(d, 'transects.geojson');
      await writeFile(
        transects,
        JSON.stringify(featureCollection([lineFeature(lonLat([at(500, -100), at(500, 900)]))])),
      );
      const error = await runRates(files, { transects, out: transects }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        `--out ${transects} is the same file as --transects ${transects}`,
      );
    });
  });

  it('names the output and the reason when it cannot write there, and leaves no temp file', async () => {
    // Root ignores directory permissions: as root the command runs as the user nobody, from the sources.
    const asRoot = process.getuid?.() === 0;
    const shared = await mkdtemp(join(tmpdir(), 'tidemark-rates-shared-'));
    try {
      await chmod(shared, 0o755);
      const files = [];
      for (const year of [2000, 2010]) {
        const path = join(shared, `shore-${year}.geojson`);
        await writeFile(path, await readFile(join(dir, `shore-${year}.geojson`)), { mode: 0o644 });
        files.push(path);
      }
      const readOnly = join(shared, 'read-only');
      await mkdir(readOnly);
      await chmod(readOnly, 0o555);
      const out = join(readOnly, 'r.json');
      const run = tidemarkRates(
        [...files, '--sea-side', 'left', '--out', out],
        asRoot ? { uid: 65534, gid: 65534, env: { ...process.env, TIDEMARK_NO_BUNDLE: '1' } } : {},
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`error: cannot write ${out}: permission denied\n`);
      expect(await readdir(readOnly)).toEqual([]);
    } finally {
      await rm(shared, { recursive: true, force: true });
    }
  });
});

describe('tidemark rates: transect count', () => {
  it('refuses a --spacing that casts too many transects, naming a spacing that fits (regression: heap exhausted)', async () => {
    const error = await runRates(shorelines, { baseline, spacing: '0.001' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TidemarkError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^--spacing 0.001 would cast 2,(599,999|600,000|600,001) transects along the 2,600 m baseline, more than the maximum of 100,000: use --spacing 0.027 or more$/,
    );
    // The spacing it names fits, and a millimetre less does not.
    const out = join(dir, 'dense.geojson');
    const summary = await runRates(shorelines, { baseline, spacing: '0.027', out });
    expect(summary.transects).toBeLessThanOrEqual(MAX_TRANSECTS);
    expect(summary.transects).toBeGreaterThan(MAX_TRANSECTS * 0.95);
    await expect(runRates(shorelines, { baseline, spacing: '0.026' })).rejects.toThrow(/use --spacing 0.027/);
    await rm(out);
  });

  it(`accepts --length ${MAX_TRANSECT_LENGTH_M} m`, async () => {
    const out = join(dir, 'long.geojson');
    const summary = await runRates(shorelines, {
      baseline,
      spacing: '1000',
      length: String(MAX_TRANSECT_LENGTH_M),
      out,
    });
    expect(summary.transects).toBe(3);
    await rm(out);
  });
});
