import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadTiffKind, makeBadTiff } from '../fixtures/bad/make-bad-tiff.ts';
import { listScenes } from '../store/scenes.ts';
import { listShorelines } from '../store/shorelines.ts';
import { createSite, getDataVersion, getSiteBySlug } from '../store/sites.ts';
import {
  type ProvisionedTestDatabase,
  provisionTestDatabase,
  type TestDatabase,
} from '../test/support/test-db.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import { analyzeSite } from './analyze-site.ts';
import { ingestScene } from './ingest-scene.ts';

const SCENES = fileURLToPath(new URL('../fixtures/scenes/', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/tidemark.js', import.meta.url));

interface SeriesManifest {
  scenes: { year: number; date: string; file: string; sha256: string }[];
}

async function tableCounts(db: TestDatabase): Promise<{ scenes: number; shorelines: number }> {
  const [scenes] = await db.knex('scenes').count<{ count: number }[]>({ count: '*' });
  const [shorelines] = await db.knex('shorelines').count<{ count: number }[]>({ count: '*' });
  return { scenes: Number(scenes?.count), shorelines: Number(shorelines?.count) };
}

/** A database of its own with the site `ca-mau`, closed again so that a `tidemark` process can open it. */
async function provisionWithSite(): Promise<ProvisionedTestDatabase> {
  const provisioned = await provisionTestDatabase();
  const db = await provisioned.open();
  try {
    await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
  } finally {
    await db.close();
  }
  return provisioned;
}

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('ingest of the committed fixture series', () => {
  let provisioned: ProvisionedTestDatabase;
  let db: TestDatabase;
  let pool: ExtractPool;
  let manifest: SeriesManifest;
  let siteId: number;

  beforeAll(async () => {
    provisioned = await provisionTestDatabase();
    db = await provisioned.open();
    pool = createExtractPool();
    manifest = JSON.parse(await readFile(join(SCENES, 'series.json'), 'utf8')) as SeriesManifest;
    siteId = (await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 })).id;
  });
  afterAll(async () => {
    await pool?.destroy();
    await db?.dispose();
  });

  it('stores every scene with its sha256, size, date and shorelines, and bumps the data version', async () => {
    const before = await getDataVersion(db.knex, 'ca-mau');
    for (const s of manifest.scenes) {
      const outcome = await ingestScene(db, 'ca-mau', join(SCENES, s.file), {}, { pool });
      expect(outcome.status).toBe('ingested');
    }
    const scenes = await listScenes(db.knex, siteId);
    expect(scenes.map((s) => [s.fileName, s.sha256, s.acquiredDate, s.fileSizeBytes])).toEqual(
      await Promise.all(
        manifest.scenes.map(async (s) => [s.file, s.sha256, s.date, (await stat(join(SCENES, s.file))).size]),
      ),
    );
    const shorelines = await listShorelines(db, siteId);
    expect(new Set(shorelines.map((l) => l.sceneId)).size).toBe(manifest.scenes.length);
    expect(await getDataVersion(db.knex, 'ca-mau')).not.toBe(before);
  });

  it('treats a re-ingest of the same files as a no-op', async () => {
    const counts = await tableCounts(db);
    const version = await getDataVersion(db.knex, 'ca-mau');
    for (const s of manifest.scenes) {
      const outcome = await ingestScene(db, 'ca-mau', join(SCENES, s.file), {}, { pool });
      expect(outcome.status).toBe('duplicate');
    }
    expect(await tableCounts(db)).toEqual(counts);
    expect(await getDataVersion(db.knex, 'ca-mau')).toBe(version);
  });

  it('skips a second scene of a date the site already has (the same acquisition as a STAC item)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-same-date-'));
    try {
      const stored = manifest.scenes.find((s) => s.file === 'ca-mau-2020.tif')!;
      const itemPath = join(dir, 'item.json');
      await writeFile(
        itemPath,
        JSON.stringify({
          type: 'Feature',
          stac_version: '1.0.0',
          id: 'ca-mau-2020',
          properties: { datetime: `${stored.date}T03:25:00Z` },
          assets: {
            data: {
              href: join(SCENES, stored.file),
              'eo:bands': ['green', 'nir', 'swir16'].map((common_name) => ({ common_name })),
            },
          },
        }),
      );
      const counts = await tableCounts(db);
      const version = await getDataVersion(db.knex, 'ca-mau');
      const outcome = await ingestScene(db, 'ca-mau', itemPath, {}, { pool });
      const scene = (await listScenes(db.knex, siteId)).find((s) => s.fileName === stored.file)!;
      expect(outcome).toEqual({
        scene: 'item.json',
        status: 'duplicate',
        sceneId: scene.id,
        reason: 'same-date',
        storedAs: stored.file,
      });
      expect(await tableCounts(db)).toEqual(counts);
      expect(await getDataVersion(db.knex, 'ca-mau')).toBe(version);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a site whose CRS is made for another coast', () => {
  let provisioned: ProvisionedTestDatabase;
  let db: TestDatabase;
  let pool: ExtractPool;

  beforeAll(async () => {
    provisioned = await provisionTestDatabase();
    db = await provisioned.open();
    pool = createExtractPool();
  });
  afterAll(async () => {
    await pool?.destroy();
    await db?.dispose();
  });

  it('refuses its scenes, naming the distortion and the UTM zone to use, and stores nothing', async () => {
    await createSite(db.knex, { slug: 'euro', name: 'Wrong zone', epsg: 32631 });
    const before = await tableCounts(db);
    const failure = await ingestScene(db, 'euro', join(SCENES, 'ca-mau-2016.tif'), {}, { pool }).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'INVALID_INPUT' });
    expect((failure as Error).message).toMatch(
      /^ca-mau-2016\.tif: EPSG:32631, the CRS of site euro, distorts distances by .* --epsg 32648` \(UTM zone 48N\)$/,
    );
    expect(await tableCounts(db)).toEqual(before);
  });

  it('takes them in a neighbouring UTM zone, which distorts by under 1 % there', async () => {
    await createSite(db.knex, { slug: 'zone-49', name: 'Next zone', epsg: 32649 });
    const outcome = await ingestScene(db, 'zone-49', join(SCENES, 'ca-mau-2016.tif'), {}, { pool });
    expect(outcome.status).toBe('ingested');
  });

  it('refuses to analyse shorelines its CRS cannot measure (stored before ingest checked)', async () => {
    const site = await createSite(db.knex, { slug: 'legacy', name: 'Legacy', epsg: 32648 });
    for (const year of [2016, 2017]) {
      await ingestScene(db, 'legacy', join(SCENES, `ca-mau-${year}.tif`), {}, { pool });
    }
    await db.knex('sites').where({ id: site.id }).update({ epsg: 32631 });
    await expect(analyzeSite(db, 'legacy')).rejects.toThrow(
      /^the shorelines of site legacy: EPSG:32631, the CRS of site legacy, distorts distances/,
    );
  });
});

describe('tidemark ingest with bad input', () => {
  let provisioned: ProvisionedTestDatabase;
  let dir: string;
  // Without SWIR the default index falls back to NDWI, so the missing band is asked for explicitly (MNDWI).
  const cases: [BadTiffKind, RegExp, string[]][] = [
    ['not-a-tiff', /not a TIFF/i, []],
    ['truncated', /truncated/i, []],
    ['no-georeference', /georeferenc/i, []],
    ['missing-swir', /swir16/i, ['--index', 'mndwi']],
  ];

  beforeAll(async () => {
    provisioned = await provisionWithSite();
    dir = await mkdtemp(join(tmpdir(), 'tidemark-bad-ingest-'));
    for (const [kind] of cases) await writeFile(join(dir, `${kind}.tif`), makeBadTiff(kind));
  });
  afterAll(async () => {
    await provisioned?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(cases)(
    'rejects a %s file with a clear message, a non-zero exit and nothing stored',
    async (kind, message, flags) => {
      const args = ['ingest', '--site', 'ca-mau', ...flags, join(dir, `${kind}.tif`)];
      const result = await runCli(args, provisioned.env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/^error: /m);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const db = await provisioned.open();
      try {
        expect(await tableCounts(db)).toEqual({ scenes: 0, shorelines: 0 });
      } finally {
        await db.close();
      }
    },
  );

  it('rejects an unknown --site before reading any scene, naming the site', async () => {
    const result = await runCli(
      ['ingest', '--site', 'nowhere', join(SCENES, 'ca-mau-2016.tif')],
      provisioned.env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown site 'nowhere'/);
  });

  it('stores the good scenes of a batch and exits 2 when only some fail', async () => {
    const result = await runCli(
      ['ingest', '--site', 'ca-mau', join(SCENES, 'ca-mau-2016.tif'), join(dir, 'truncated.tif')],
      provisioned.env,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/ingested ca-mau-2016\.tif/);
    const db = await provisioned.open();
    try {
      expect((await tableCounts(db)).scenes).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('names a missing file and a directory in a batch, and still stores the good scene (exit 2)', async () => {
    const missing = join(dir, 'missing.tif');
    const result = await runCli(
      ['ingest', '--site', 'ca-mau', missing, dir, join(SCENES, 'ca-mau-2017.tif')],
      provisioned.env,
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/ingested ca-mau-2017\.tif/);
    expect(result.stderr.trim().split('\n')).toEqual([
      `error: cannot read ${missing}: no such file`,
      `error: cannot read ${dir}: it is a directory, not a scene file`,
    ]);
    const db = await provisioned.open();
    try {
      const site = (await getSiteBySlug(db.knex, 'ca-mau'))!;
      expect((await listScenes(db.knex, site.id)).map((s) => s.fileName)).toContain('ca-mau-2017.tif');
    } finally {
      await db.close();
    }
  });
});

describe('tidemark ingest into an analysed site', () => {
  let provisioned: ProvisionedTestDatabase;
  beforeAll(async () => {
    provisioned = await provisionWithSite();
  });
  afterAll(async () => {
    await provisioned?.drop();
  });

  const scene = (year: number) => join(SCENES, `ca-mau-${year}.tif`);

  it('notes when the analysis leaves out the scenes just stored, with the command to run', async () => {
    const first = await runCli(
      ['ingest', '--site', 'ca-mau', scene(2016), scene(2017), scene(2018)],
      provisioned.env,
    );
    expect(first.code, first.stderr).toBe(0);
    // Never analysed: nothing is left out of an analysis.
    expect(first.stderr).not.toMatch(/note:/);

    const db = await provisioned.open();
    try {
      await analyzeSite(db, 'ca-mau');
    } finally {
      await db.close();
    }
    const second = await runCli(['ingest', '--site', 'ca-mau', scene(2019)], provisioned.env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(
      'note: the analysis of site ca-mau leaves out 1 shoreline stored since it was made: ' +
        'run `tidemark analyze --site ca-mau` to include it',
    );
    // Nothing new stored: no note.
    const again = await runCli(['ingest', '--site', 'ca-mau', scene(2019)], provisioned.env);
    expect(again.stdout).toMatch(/skipped ca-mau-2019\.tif/);
    expect(again.stderr).not.toMatch(/note:/);
  });
});
