import type { Knex } from 'knex';

/** One schema migration. `name` is what knex records in knex_migrations: never rename a merged one. */
export interface TidemarkMigration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Runs DDL one statement at a time: multi-statement strings fail as prepared statements on some drivers
 * (PGlite among them), and one statement per call also gives errors that point at the statement.
 */
export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

/** Drops tables in the given order (dependents first). */
export async function dropTables(knex: Knex, tables: readonly string[]): Promise<void> {
  for (const table of tables) await knex.raw('DROP TABLE IF EXISTS ??', [table]);
}
