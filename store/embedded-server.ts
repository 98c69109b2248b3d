import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { TidemarkError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

export interface EmbeddedServer {
  /** Loopback connection URL (PGlite ignores credentials). */
  url: string;
  port: number;
  dataDir: string;
  /** True when this call created the database (first open of the data directory). */
  created: boolean;
  close(): Promise<void>;
}

export interface EmbeddedServerOptions {
  dataDir: string;
  logger?: Logger;
}

/** The Postgres data directory inside a Tidemark data directory. */
export const PGDATA_DIR_NAME = 'pgdata';
export const LOCK_FILE_NAME = 'tidemark.lock';

/**
 * PGlite (Postgres compiled to WASM, with PostGIS) persisted in `<dataDir>/pgdata`, served over the
 * Postgres wire protocol on 127.0.0.1 with an ephemeral port, so that the rest of Tidemark talks to it
 * through knex + pg exactly as it talks to a server.
 */
export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.logger;
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `cannot create the data directory ${dataDir}: ${errMessage(err)}`,
    );
  }
  const lock = await acquireDataDirLock(join(dataDir, LOCK_FILE_NAME), dataDir);
  let db: PGlite | undefined;
  try {
    const pgdata = join(dataDir, PGDATA_DIR_NAME);
    const created = !existsSync(pgdata);
    if (created) await initialiseDataDir(dataDir, pgdata, log);
    const startedAt = Date.now();
    db = await openPglite(pgdata);
    // Also covers a data directory whose extension was dropped by hand.
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    // Extra connections beyond the knex pool's one are queued onto the single PGlite session by the socket
    // server; allowing a few avoids "too many connections" while pg reconnects after an idle close.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await server.start();
    const conn = server.getServerConn();
    const port = Number(conn.slice(conn.lastIndexOf(':') + 1));
    log?.debug({ dataDir, port, ms: Date.now() - startedAt }, 'embedded database open');
    const pglite = db;
    let closed = false;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      created,
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await server.stop();
          await pglite.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    await lock.release();
    throw err;
  }
}

/**
 * First open: initdb plus CREATE EXTENSION postgis take about 12 s. They run in a side directory that is
 * renamed into place only once complete, so an interrupted first run never leaves a half-made database.
 */
async function initialiseDataDir(dataDir: string, pgdata: string, log: Logger | undefined): Promise<void> {
  const partial = join(dataDir, `${PGDATA_DIR_NAME}.partial`);
  // We hold the lock, so a leftover partial directory belongs to an interrupted earlier first run.
  await rm(partial, { recursive: true, force: true });
  const startedAt = Date.now();
  log?.info({ dataDir }, 'creating the embedded database (first run only, takes about 15 s)');
  const db = await openPglite(partial);
  try {
    log?.info({ ms: Date.now() - startedAt }, 'embedded database initialised; installing PostGIS');
    await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  } finally {
    await db.close();
  }
  await rename(partial, pgdata);
  log?.info({ dataDir, ms: Date.now() - startedAt }, 'embedded database created');
}

async function openPglite(pgdata: string): Promise<PGlite> {
  try {
    return await PGlite.create(pgdata, { extensions: { postgis } });
  } catch (err) {
    throw new TidemarkError(
      'INTERNAL',
      `cannot open the embedded database in ${pgdata}: ${errMessage(err)}. ` +
        'If it was created by another PGlite version, move it away and let Tidemark create a new one.',
    );
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
