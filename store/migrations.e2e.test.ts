import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { MIGRATIONS } from './migrations/migration-source.ts';
import { migrateDown, migrateUp, migrationStatus } from './run-migrations.ts';

// The schema the whole mission needs (P1 issue, "Database"), plus what later issues and the roadmap add.
const MISSION_TABLES = [
  'sites',
  'api_keys',
  'scenes',
  'scene_reviews',
  'shorelines',
  'analyses',
  'baselines',
  'transects',
  'transect_intersections',
  'transect_stats',
  'change_polygons',
  'forecasts',
  'hazard_zones',
  'aquaculture_zones',
  'zone_assessments',
  'zone_observations',
  'runs',
  'run_items',
];

const GEOMETRY_COLUMNS: [table: string, column: string, type: string][] = [
  ['sites', 'aoi', 'MULTIPOLYGON'],
  ['scenes', 'footprint', 'POLYGON'],
  ['shorelines', 'geom', 'MULTILINESTRING'],
  ['baselines', 'geom', 'MULTILINESTRING'],
  ['transects', 'geom', 'LINESTRING'],
  ['transect_intersections', 'geom', 'POINT'],
  ['change_polygons', 'geom', 'MULTIPOLYGON'],
  ['forecasts', 'line_geom', 'MULTILINESTRING'],
  ['forecasts', 'band_geom', 'MULTIPOLYGON'],
  ['hazard_zones', 'geom', 'MULTIPOLYGON'],
  ['aquaculture_zones', 'geom', 'MULTIPOLYGON'],
];

// Left by knex (its bookkeeping) and PostGIS (the extension is environment, not our schema).
const NOT_OURS = new Set(['knex_migrations', 'knex_migrations_lock', 'spatial_ref_sys']);

async function publicTables(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.knex.raw<{ rows: { table_name: string }[] }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  return rows.map((r) => r.table_name).filter((t) => !NOT_OURS.has(t));
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('are all applied on open, in order', async () => {
    const status = await migrationStatus(db.knex);
    expect(status.map((s) => s.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(status.every((s) => s.applied)).toBe(true);
  });

  it('create every mission table', async () => {
    expect((await publicTables(db)).sort()).toEqual([...MISSION_TABLES].sort());
  });

  it('type every geometry column with its geometry type and SRID 4326, each with a GiST index', async () => {
    const { rows } = await db.knex.raw<{ rows: { t: string; c: string; type: string; srid: number }[] }>(
      `SELECT f_table_name AS t, f_geometry_column AS c, type, srid FROM geometry_columns
       WHERE f_table_schema = 'public' AND f_table_name <> 'spatial_ref_sys'`,
    );
    const actual = rows.map((r) => [r.t, r.c, r.type, r.srid]).sort();
    expect(actual).toEqual(GEOMETRY_COLUMNS.map(([t, c, type]) => [t, c, type, 4326]).sort());
    for (const [table, column] of GEOMETRY_COLUMNS) {
      const { rows: indexes } = await db.knex.raw<{ rows: { indexdef: string }[] }>(
        'SELECT indexdef FROM pg_indexes WHERE schemaname = ? AND tablename = ?',
        ['public', table],
      );
      const gist = indexes.filter((i) => new RegExp(`USING gist \\(${column}\\)`).test(i.indexdef));
      expect(gist, `${table}.${column} has a GiST index`).toHaveLength(1);
    }
  });

  it('record the metric EPSG per site and UNIQUE(site_id, sha256) per scene', async () => {
    const { rows } = await db.knex.raw<{ rows: { def: string }[] }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'scenes'::regclass AND contype = 'u'`,
    );
    expect(rows.map((r) => r.def)).toContain('UNIQUE (site_id, sha256)');
    const { rows: epsg } = await db.knex.raw<{ rows: { is_nullable: string; data_type: string }[] }>(
      `SELECT is_nullable, data_type FROM information_schema.columns WHERE table_name = 'sites' AND column_name = 'epsg'`,
    );
    expect(epsg).toEqual([{ is_nullable: 'NO', data_type: 'integer' }]);
  });

  it('go down one at a time, then all the way, leaving nothing of ours; and come back up', async () => {
    const last = MIGRATIONS[MIGRATIONS.length - 1]!.name;
    expect(await migrateDown(db.knex)).toEqual([last]);
    expect((await migrationStatus(db.knex)).find((s) => s.name === last)?.applied).toBe(false);

    const reverted = await migrateDown(db.knex, { all: true });
    expect(reverted).toEqual(
      MIGRATIONS.slice(0, -1)
        .map((m) => m.name)
        .reverse(),
    );
    expect(await publicTables(db)).toEqual([]);
    const { rows: seqs } = await db.knex.raw<{ rows: { relname: string }[] }>(
      `SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace
       AND relname NOT LIKE 'knex%'`,
    );
    expect(seqs).toEqual([]);
    expect(await migrateDown(db.knex)).toEqual([]);

    expect(await migrateUp(db.knex)).toEqual(MIGRATIONS.map((m) => m.name));
    expect((await publicTables(db)).sort()).toEqual([...MISSION_TABLES].sort());
    expect(await migrateUp(db.knex)).toEqual([]);
  });

  it('refuse a schema migrated by a newer Tidemark, naming its migration, and list it in the status', async () => {
    await db.knex('knex_migrations').insert({ name: '0099_future', batch: 99, migration_time: new Date() });
    try {
      const newer =
        /^the database schema is newer than this version of Tidemark: it has migration 0099_future, /;
      await expect(migrateUp(db.knex)).rejects.toMatchObject({
        code: 'UNSUPPORTED',
        message: expect.stringMatching(newer),
      });
      await expect(migrateDown(db.knex)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      const status = await migrationStatus(db.knex);
      expect(status.at(-1)).toEqual({ name: '0099_future', applied: true, unknown: true });
      expect(status.slice(0, -1).every((m) => m.applied && !m.unknown)).toBe(true);
    } finally {
      await db.knex('knex_migrations').where({ name: '0099_future' }).delete();
    }
    expect(await migrateUp(db.knex)).toEqual([]);
  });
});
