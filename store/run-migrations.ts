import type { Knex } from 'knex';
import type { Logger } from '../common/logger.ts';
import { MIGRATIONS, migrationSource } from './migrations/migration-source.ts';

export interface MigrationState {
  name: string;
  applied: boolean;
}

const CONFIG = { migrationSource } as const;

/** Applies every pending migration. Returns the names applied (empty when already up to date). */
export async function migrateUp(knex: Knex, logger?: Logger): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(CONFIG)) as [number, string[]];
  if (applied.length > 0) logger?.info({ migrations: applied }, 'database migrated');
  return applied;
}

/**
 * Reverts the latest applied migration, or with `all` every applied migration (leaving only knex's own
 * bookkeeping tables). Returns the names reverted.
 */
export async function migrateDown(knex: Knex, opts: { all?: boolean } = {}): Promise<string[]> {
  if (opts.all) {
    const [, reverted] = (await knex.migrate.rollback(CONFIG, true)) as [number, string[]];
    return reverted;
  }
  const [, reverted] = (await knex.migrate.down(CONFIG)) as [number, string[]];
  return reverted;
}

/** Every known migration with whether it is applied, in order. */
export async function migrationStatus(knex: Knex): Promise<MigrationState[]> {
  const [completed] = (await knex.migrate.list(CONFIG)) as [{ name: string }[], unknown[]];
  const done = new Set(completed.map((m) => m.name));
  return MIGRATIONS.map((m) => ({ name: m.name, applied: done.has(m.name) }));
}
