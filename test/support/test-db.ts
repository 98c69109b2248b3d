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

const quietLogger = () => pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

/**
 * A fresh, migrated database of its own for one test file: on the DATABASE_URL server a clone of the run's
 * template; otherwise (or with `embedded: true`, which works even when DATABASE_URL is set) a copy of the
 * embedded template data directory. dispose() closes and deletes it.
 */
export async function openTestDatabase(opts: { embedded?: boolean } = {}): Promise<TestDatabase> {
  const server = inject('tidemarkServerTemplate');
  if (server && !opts.embedded) {
    const name = `${server.prefix}${randomBytes(4).toString('hex')}`;
    await adminQuery(
      server.adminUrl,
      `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(server.template)}`,
    );
    const db = await openDatabase({
      databaseUrl: withDatabase(server.adminUrl, name),
      logger: quietLogger(),
    });
    return Object.assign(db, {
      dataDir: null,
      dispose: async () => {
        await db.close();
        await adminQuery(
          server.adminUrl,
          `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`,
        );
      },
    });
  }
  const template = inject('tidemarkEmbeddedTemplate');
  const dataDir = await mkdtemp(join(tmpdir(), 'tidemark-testdb-'));
  try {
    await cp(template, dataDir, { recursive: true });
    // An empty databaseUrl selects the embedded database even when DATABASE_URL is set.
    const db = await openDatabase({ databaseUrl: '', dataDir, logger: quietLogger() });
    return Object.assign(db, {
      dataDir,
      dispose: async () => {
        await db.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
