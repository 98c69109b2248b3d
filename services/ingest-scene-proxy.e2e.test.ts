import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { coastModelForScene, writeSceneFile } from '../fixtures/generate-scene.ts';
import { parseTideCsv } from '../sources/tide-table.ts';
import { listScenes } from '../store/scenes.ts';
import { listShorelines } from '../store/shorelines.ts';
import { createSite } from '../store/sites.ts';
import {
  type ProvisionedTestDatabase,
  provisionTestDatabase,
  type TestDatabase,
} from '../test/support/test-db.ts';
import { ingestScene } from './ingest-scene.ts';

// Issue 7: each scene stores its shoreline proxy and its tide (height, datum, source).
describe('ingest with a shoreline proxy and tides', () => {
  let provisioned: ProvisionedTestDatabase;
  let db: TestDatabase;
  let dir: string;
  let siteId: number;
  const spec = {
    sizePx: 256,
    heightPx: 192,
    seed: 5,
    noise: 0.03,
    firstYear: 2016,
    lastYear: 2018,
    mudflat: { tideRangeM: 1, slope: 0.002 },
  };
  const model = coastModelForScene({ ...spec, year: 2016 });
  const path = (year: number) => join(dir, `mud-${year}.tif`);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-ingest-proxy-'));
    for (const year of model.years) writeSceneFile({ ...spec, year }, path(year), model);
    writeSceneFile({ sizePx: 256, year: 2020, seed: 5 }, join(dir, 'plain.tif'));
    provisioned = await provisionTestDatabase();
    db = await provisioned.open();
    siteId = (await createSite(db.knex, { slug: 'mud', name: 'Mud coast', epsg: 32648 })).id;
  });
  afterAll(async () => {
    await db?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the vegetation proxy and the tide from the scene metadata', async () => {
    const outcome = await ingestScene(db, 'mud', path(2016), { proxy: 'vegetation' });
    expect(outcome.status).toBe('ingested');
    const [scene] = await listScenes(db.knex, siteId);
    expect(scene).toMatchObject({
      shorelineProxy: 'vegetation',
      waterIndex: 'ndvi',
      tideHeightM: model.tideHeightM(2016),
      tideDatum: 'MSL',
      tideSource: 'stac',
    });
    const lines = await listShorelines(db, siteId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.proxy === 'vegetation')).toBe(true);
  });

  it('takes the tide from a flag, then a table, before the metadata', async () => {
    await ingestScene(db, 'mud', path(2017), { tideFlagM: -0.25, tideDatum: 'LAT' });
    const date = model.acquisitionDate(2018);
    const table = parseTideCsv(`${date}T03:00:00Z,0.5\n${date}T04:00:00Z,0.9\n`, 'tides.csv');
    await expect(ingestScene(db, 'mud', path(2018), { tideTable: table })).rejects.toThrow(
      /only the acquisition date .* --tides needs the time/,
    );
    await ingestScene(db, 'mud', path(2018), { tideTable: table, date: `${date}T03:25:00Z` });
    const scenes = await listScenes(db.knex, siteId);
    const byFile = new Map(scenes.map((s) => [s.fileName, s]));
    expect(byFile.get('mud-2017.tif')).toMatchObject({
      shorelineProxy: 'waterline',
      tideHeightM: -0.25,
      tideDatum: 'LAT',
      tideSource: 'flag',
    });
    // 03:25 UTC: 25/60 of the way from 0.5 to 0.9.
    expect(byFile.get('mud-2018.tif')!.tideSource).toBe('csv');
    expect(byFile.get('mud-2018.tif')!.tideHeightM).toBeCloseTo(0.5 + (25 / 60) * 0.4, 9);
  });

  it('names the red band a vegetation ingest lacks, and stores nothing', async () => {
    const before = (await listScenes(db.knex, siteId)).length;
    const attempt = ingestScene(db, 'mud', join(dir, 'plain.tif'), { proxy: 'vegetation' });
    await expect(attempt).rejects.toThrow(TidemarkError);
    await expect(ingestScene(db, 'mud', join(dir, 'plain.tif'), { proxy: 'vegetation' })).rejects.toThrow(
      /missing band red/,
    );
    expect((await listScenes(db.knex, siteId)).length).toBe(before);
  });

  it('rejects an unknown proxy', async () => {
    await expect(
      ingestScene(db, 'mud', path(2016), { proxy: 'tideline' as unknown as 'waterline' }),
    ).rejects.toThrow(/proxy must be waterline or vegetation/);
  });
});
