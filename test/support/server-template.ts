import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase } from '../../store/db.ts';

export interface ServerTemplate {
  /** DATABASE_URL as given (its database is only used to run CREATE/DROP DATABASE). */
  adminUrl: string;
  /** Migrated template database to clone with CREATE DATABASE … TEMPLATE. */
  template: string;
  /** Prefix of every test database of this run, so teardown can drop leftovers of crashed files. */
  prefix: string;
}

/** The URL with its database replaced (user, password, host and options kept). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export async function adminQuery(adminUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'tidemark-test-admin' });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a template database with a name unique to this run. */
export async function createServerTemplate(adminUrl: string): Promise<ServerTemplate> {
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const template = `tidemark_tpl_${run}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(template)}`);
  const db = await openDatabase({
    databaseUrl: withDatabase(adminUrl, template),
    logger: pino({ level: 'warn' }),
  });
  await db.close();
  return { adminUrl, template, prefix: `tidemark_test_${run}_` };
}

/** Drops the template and any test database of this run that a crashed test file left behind. */
export async function dropServerTemplate(t: ServerTemplate): Promise<void> {
  const { rows } = await adminQuery(
    t.adminUrl,
    `SELECT datname FROM pg_database WHERE starts_with(datname, ${pg.escapeLiteral(t.prefix)})`,
  );
  for (const { datname } of rows as { datname: string }[]) {
    await adminQuery(t.adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
  }
  await adminQuery(t.adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(t.template)} WITH (FORCE)`);
}
