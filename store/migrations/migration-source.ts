import type { Knex } from 'knex';
import { migration0001 } from './0001-sites-scenes-shorelines.ts';
import { migration0002 } from './0002-analysis.ts';
import { migration0003 } from './0003-aquaculture-zones.ts';
import { migration0004 } from './0004-runs.ts';
import { migration0005 } from './0005-scene-crs.ts';
import { migration0006 } from './0006-analysis-inputs.ts';
import type { TidemarkMigration } from './tidemark-migration.ts';

/**
 * Every migration, in order. Imported statically rather than globbed from disk, so they load the same
 * under tsx, vitest and a bundler. Append new migrations; never edit or reorder merged ones.
 */
export const MIGRATIONS: readonly TidemarkMigration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
];

export const migrationSource: Knex.MigrationSource<TidemarkMigration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};
