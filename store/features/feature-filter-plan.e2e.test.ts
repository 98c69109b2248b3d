import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { featureFilterSql } from './feature-filter-sql.ts';
import { requireFeatureSource } from './feature-sources.ts';

// The GiST index each collection's bbox filter must be able to use (sites draw their geometry from an
// expression over a few rows, so they have none).
const GIST: Record<string, string[]> = {
  shorelines: ['shorelines_geom_gist'],
  transects: ['transects_geom_gist'],
  change: ['change_polygons_geom_gist'],
  forecasts: ['forecasts_line_geom_gist', 'forecasts_band_geom_gist'],
  hazard: ['hazard_zones_geom_gist'],
  zones: ['aquaculture_zones_geom_gist'],
};

describe('feature bbox filters and the GiST indexes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.each(Object.entries(GIST))(
    '%s: the bbox filter can be answered from its GiST index',
    async (id, indexes) => {
      const { sql } = requireFeatureSource(id);
      const where = featureFilterSql(sql, { bbox: { west: 104.7, south: 8.6, east: 104.8, north: 8.7 } });
      // With sequential scans priced out, the plan shows whether the condition is indexable at all (on an
      // empty table the planner would otherwise always scan).
      const plan = await db.knex.transaction(async (trx) => {
        await trx.raw('SET LOCAL enable_seqscan = off');
        const { rows } = await trx.raw<{ rows: Record<string, string>[] }>(
          `EXPLAIN SELECT ${sql.fid} FROM ${sql.from} WHERE ${where.sql} ORDER BY ${sql.fid} LIMIT 10`,
          where.bindings,
        );
        return rows.map((r) => Object.values(r)[0]).join('\n');
      });
      for (const index of indexes) expect(plan).toContain(index);
    },
  );
});
