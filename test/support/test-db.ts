import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../store/db.ts';
import { adminQuery, withDatabase } from './server-template.ts';

export type TestDatabase = Database & {
  /** The embedded data directory (null on a server). */
  dataDir: string | null;
  dispose(): Promise<void>;
};

/**
 * A fresh, migrated database that is not open yet: for tests that hand it to a child process (the CLI) first.
 * `env` points a `tidemark` process at it; `open()` opens it in this process (for an embedded database, only
 * while no child holds it: PGlite allows one process per data directory).
 */
export interface ProvisionedTestDatabase {
  env: NodeJS.ProcessEnv;
  open(): Promise<TestDatabase>;
  drop(): Promise<void>;
}

const quietLogger = () => pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

/**
 * Provisions a database of its own for one test file: on the DATABASE_URL server a clone of the run's
 * template; otherwise (or with `embedded: true`, which works even when DATABASE_URL is set) a copy of the
 * embedded template data directory.
 */
export async function provisionTestDatabase(
  opts: { embedded?: boolean } = {},
): Promise<ProvisionedTestDatabase> {
  const server = inject('tidemarkServerTemplate');
  if (server && !opts.embedded) {
    const name = `${server.prefix}${randomBytes(4).toString('hex')}`;
    await adminQuery(
      server.adminUrl,
      `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(server.template)}`,
    );
    const databaseUrl = withDatabase(server.adminUrl, name);
    const drop = async () => {
      await adminQuery(server.adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    };
    return {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      drop,
      open: async () => {
        const db = await openDatabase({ databaseUrl, logger: quietLogger() });
        return Object.assign(db, {
          dataDir: null,
          dispose: async () => {
            await db.close();
            await drop();
          },
        });
      },
    };
  }
  const template = inject('tidemarkEmbeddedTemplate');
  const dataDir = await mkdtemp(join(tmpdir(), 'tidemark-testdb-'));
  const drop = () => rm(dataDir, { recursive: true, force: true });
  try {
    await cp(template, dataDir, { recursive: true });
  } catch (err) {
    await drop();
    throw err;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, TIDEMARK_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return {
    env,
    drop,
    open: async () => {
      const db = await openDatabase({ databaseUrl: '', dataDir, logger: quietLogger() });
      return Object.assign(db, {
        dataDir,
        dispose: async () => {
          await db.close();
          await drop();
        },
      });
    },
  };
}

/** A fresh, migrated database of its own for one test file, open; dispose() closes and deletes it. */
export async function openTestDatabase(opts: { embedded?: boolean } = {}): Promise<TestDatabase> {
  const provisioned = await provisionTestDatabase(opts);
  try {
    return await provisioned.open();
  } catch (err) {
    await provisioned.drop();
    throw err;
  }
}
