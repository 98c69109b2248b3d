import type { Knex } from 'knex';
import { TidemarkError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { MIGRATIONS, migrationSource } from './migrations/migration-source.ts';

export interface MigrationState {
  name: string;
  applied: boolean;
  /** Applied to the database but not known to this version of Tidemark (a newer one migrated it). */
  unknown?: true;
}

const CONFIG = { migrationSource } as const;

/** Migrations recorded as applied that this version does not have, oldest first. */
async function unknownApplied(knex: Knex): Promise<string[]> {
  if (!(await knex.schema.hasTable('knex_migrations'))) return [];
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const rows = (await knex('knex_migrations').select('name').orderBy('id')) as { name: string }[];
  return rows.map((r) => r.name).filter((name) => !known.has(name));
}

/**
 * Refuses a database migrated by a newer Tidemark: this version cannot know what those migrations changed,
 * so it must neither use nor migrate the schema. (knex itself would only say "the migration directory is
 * corrupt".)
 */
async function assertNoNewerSchema(knex: Knex): Promise<void> {
  const newer = await unknownApplied(knex);
  if (newer.length === 0) return;
  throw new TidemarkError(
    'UNSUPPORTED',
    `the database schema is newer than this version of Tidemark: it has migration${newer.length === 1 ? '' : 's'} ` +
      `${newer.join(', ')}, which this version does not know. Upgrade Tidemark, or use a database (or a backup) ` +
      'made by this version',
    { details: { migrations: newer } },
  );
}

/** Applies every pending migration. Returns the names applied (empty when already up to date). */
export async function migrateUp(knex: Knex, logger?: Logger): Promise<string[]> {
  await assertNoNewerSchema(knex);
  const [, applied] = (await knex.migrate.latest(CONFIG)) as [number, string[]];
  if (applied.length > 0) logger?.info({ migrations: applied }, 'database migrated');
  return applied;
}

/**
 * Reverts the latest applied migration, or with `all` every applied migration (leaving only knex's own
 * bookkeeping tables). Returns the names reverted.
 */
export async function migrateDown(knex: Knex, opts: { all?: boolean } = {}): Promise<string[]> {
  await assertNoNewerSchema(knex);
  if (opts.all) {
    const [, reverted] = (await knex.migrate.rollback(CONFIG, true)) as [number, string[]];
    return reverted;
  }
  const [, reverted] = (await knex.migrate.down(CONFIG)) as [number, string[]];
  return reverted;
}

/** Every known migration with whether it is applied, in order, then any applied one this version lacks. */
export async function migrationStatus(knex: Knex): Promise<MigrationState[]> {
  const newer = await unknownApplied(knex);
  const applied = (await knex.schema.hasTable('knex_migrations'))
    ? new Set(((await knex('knex_migrations').select('name')) as { name: string }[]).map((r) => r.name))
    : new Set<string>();
  return [
    ...MIGRATIONS.map((m) => ({ name: m.name, applied: applied.has(m.name) })),
    ...newer.map((name) => ({ name, applied: true, unknown: true as const })),
  ];
}
