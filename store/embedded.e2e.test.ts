import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { decodeTile, tileForLonLat } from '../test/support/decode-tile.ts';
import { SYNTHETIC_COAST, syntheticShoreline } from '../test/support/synthetic-shorelines.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { openDatabase } from './db.ts';
import { insertScene, listScenes } from './scenes.ts';
import { insertShorelines } from './shorelines.ts';
import { bumpDataVersion, createSite, type Site } from './sites.ts';
import { getShorelineTile } from './tiles/shoreline-tile.ts';

// Always the embedded PGlite database, even when DATABASE_URL is set: CI must exercise this path too.
describe('embedded database (PGlite over the wire protocol)', () => {
  let db: TestDatabase;
  let site: Site;
  beforeAll(async () => {
    db = await openTestDatabase({ embedded: true });
    site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('is reached through knex + pg on loopback and reports what it can do', async () => {
    expect(db.mode).toBe('embedded');
    expect(db.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(db.capabilities.mvt).toBe(false);
    expect(db.capabilities.postgis).toMatch(/^3\.\d+/);
    const { rows } = await db.knex.raw<{ rows: { x: number }[] }>(
      'SELECT round(ST_X(ST_Transform(ST_SetSRID(ST_MakePoint(105, 8.75), 4326), 32648))) AS x',
    );
    expect(rows[0]?.x).toBe(500000);
  });

  it('stores a scene with its shorelines atomically, and serves them as tiles with the JS encoder', async () => {
    await db.knex.transaction(async (trx) => {
      for (const year of [2016, 2017]) {
        const sceneId = await insertScene(trx, {
          siteId: site.id,
          sha256: String(year).padEnd(64, 'f'),
          fileName: `S2_${year}.tif`,
          acquiredAt: `${year}-01-15`,
          epsg: 32648,
          width: 512,
          height: 512,
        });
        await insertShorelines(trx, {
          siteId: site.id,
          sceneId,
          date: `${year}-01-15`,
          features: [syntheticShoreline(year)],
        });
      }
      await bumpDataVersion(trx, site.id);
    });
    const bytes = await getShorelineTile(
      db,
      tileForLonLat(SYNTHETIC_COAST.west + 0.1, SYNTHETIC_COAST.lat + 0.002, 12),
    );
    const years = (decodeTile(bytes!).shorelines ?? []).map((f) => f.properties.year).sort();
    expect(years).toEqual([2016, 2017]);
  });

  it('rolls a failed ingest back completely', async () => {
    const failure = new TidemarkError('CORRUPT_DATA', 'simulated failure after the scene row');
    const err = await db.knex
      .transaction(async (trx) => {
        await insertScene(trx, {
          siteId: site.id,
          sha256: 'e'.repeat(64),
          fileName: 'S2_2018.tif',
          acquiredAt: '2018-01-15',
          epsg: 32648,
          width: 512,
          height: 512,
        });
        throw failure;
      })
      .catch((e: unknown) => e);
    expect(err).toBe(failure);
    expect((await listScenes(db.knex, site.id)).map((s) => s.fileName)).toEqual([
      'S2_2016.tif',
      'S2_2017.tif',
    ]);
  });

  it('refuses the ST_AsMVT encoder it does not have', async () => {
    const err = await getShorelineTile(db, { z: 0, x: 0, y: 0 }, { encoder: 'postgis' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('UNSUPPORTED');
  });

  it('cannot be opened twice: a second open of the data directory fails clearly, the first stays usable', async () => {
    const err = await openDatabase({ databaseUrl: '', dataDir: db.dataDir! }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('CONFLICT');
    expect((err as TidemarkError).message).toMatch(/already open in process \d+/);
    expect((await listScenes(db.knex, site.id)).length).toBe(2);
  });
});
