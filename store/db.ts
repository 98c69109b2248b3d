import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { isTidemarkError, TidemarkError } from '../common/errors.ts';
import { createLogger, type Logger } from '../common/logger.ts';
import { startEmbeddedServer } from './embedded-server.ts';
import { migrateUp } from './run-migrations.ts';

export interface DatabaseCapabilities {
  /** ST_AsMVT works (server PostGIS built with protobuf); otherwise tiles use the JS encoder. */
  mvt: boolean;
  /** PostGIS library version, e.g. "3.3.2". */
  postgis: string;
}

export interface Database {
  knex: Knex;
  mode: 'server' | 'embedded';
  /** Connection URL without the password: safe to log and show. */
  url: string;
  capabilities: DatabaseCapabilities;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Default: process.env.DATABASE_URL. Unset or empty means the embedded database. */
  databaseUrl?: string;
  /** Embedded data directory. Default: process.env.TIDEMARK_DATA_DIR ?? './.tidemark'. */
  dataDir?: string;
  /** Run pending migrations. Default true. */
  migrate?: boolean;
  logger?: Logger;
}

// Calendar dates stay 'YYYY-MM-DD' strings: pg would otherwise turn them into local-midnight Dates, which
// shift by a day in negative UTC offsets. Counts and bigint ids are far below 2^53, so plain numbers.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number.parseInt(value, 10));

const SERVER_POOL = { min: 0, max: 10 };
// PGlite is a single session: one connection, so two transactions can never interleave.
const EMBEDDED_POOL = { min: 0, max: 1 };

const MVT_PROBE =
  "SELECT ST_AsMVT(q, 't') AS tile FROM " +
  '(SELECT 1 AS id, ST_AsMVTGeom(ST_MakePoint(0, 0), ST_MakeEnvelope(0, 0, 1, 1)) AS geom) q';

/**
 * Opens the database: a PostgreSQL/PostGIS server when DATABASE_URL is set, otherwise the embedded PGlite
 * database in the data directory. Both are reached through knex + pg; only the pool size differs.
 */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Database> {
  const logger = opts.logger ?? createLogger('store');
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  if (databaseUrl) assertPostgresUrl(databaseUrl);
  const embedded = databaseUrl
    ? undefined
    : await startEmbeddedServer({
        dataDir: opts.dataDir ?? process.env.TIDEMARK_DATA_DIR ?? './.tidemark',
        logger,
      });
  const url = embedded ? embedded.url : (databaseUrl as string);
  const redacted = redactDatabaseUrl(url);
  const secret = embedded ? '' : passwordOf(url);
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'tidemark' },
    pool: embedded ? EMBEDDED_POOL : SERVER_POOL,
    log: knexLog(logger, secret),
  });
  const closeAll = async () => {
    await knex.destroy();
    await embedded?.close();
  };
  try {
    await checkConnection(knex, redacted, secret);
    await ensurePostgis(knex, redacted);
    if (opts.migrate ?? true) await migrateUp(knex, logger);
    const capabilities = await detectCapabilities(knex);
    logger.debug(
      { url: redacted, mode: embedded ? 'embedded' : 'server', ...capabilities },
      'database ready',
    );
    let closed = false;
    return {
      knex,
      mode: embedded ? 'embedded' : 'server',
      url: redacted,
      capabilities,
      close: async () => {
        if (closed) return;
        closed = true;
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll().catch(() => undefined);
    throw scrubError(err, secret);
  }
}

/**
 * knex logs to the console by default. Connection failures are reported by our own error, so their raw
 * driver message (with stack) only goes to debug; anything else knex warns about stays a warning.
 */
function knexLog(logger: Logger, secret: string) {
  const text = (message: unknown) => scrub(String(message), secret);
  return {
    warn: (message: unknown) => {
      const msg = text(message);
      if (msg.startsWith('Acquire connection error')) logger.debug({ knex: msg }, 'knex');
      else logger.warn({ knex: msg }, 'knex warning');
    },
    error: (message: unknown) => logger.error({ knex: text(message) }, 'knex error'),
    debug: (message: unknown) => logger.debug({ knex: text(message) }, 'knex'),
    deprecate: (method: string, alternative: string) =>
      logger.warn({ knex: `${method} is deprecated, use ${alternative}` }, 'knex warning'),
  };
}

/** The URL with its password (and any password query parameter) removed. */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo an unparseable URL: it may hold a password in a place we cannot find.
    return '(unparseable DATABASE_URL)';
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

function assertPostgresUrl(url: string): void {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below, without echoing the URL
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new TidemarkError(
      'INVALID_INPUT',
      'DATABASE_URL is not a valid postgres:// URL (expected postgres://user[:password]@host[:port]/database)',
    );
  }
}

async function checkConnection(knex: Knex, redacted: string, secret: string): Promise<void> {
  try {
    await knex.raw('SELECT 1');
  } catch (err) {
    throw new TidemarkError(
      'INTERNAL',
      `cannot connect to the database at ${redacted}: ${describePgError(err, secret)}`,
      {
        status: 503,
      },
    );
  }
}

async function ensurePostgis(knex: Knex, redacted: string): Promise<void> {
  const { rows } = await knex.raw<{ rows: unknown[] }>(
    "SELECT 1 FROM pg_extension WHERE extname = 'postgis'",
  );
  if (rows.length > 0) return;
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (err) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `PostGIS is not installed in the database at ${redacted} (${describePgError(err, '')}). ` +
        'Install PostGIS (Debian: postgresql-15-postgis-3) and run CREATE EXTENSION postgis as a superuser.',
      { status: 503 },
    );
  }
}

/** Tries ST_AsMVT itself instead of guessing from the mode or version: the build decides. */
async function detectCapabilities(knex: Knex): Promise<DatabaseCapabilities> {
  const { rows } = await knex.raw<{ rows: { version: string }[] }>('SELECT postgis_lib_version() AS version');
  let mvt = false;
  try {
    const probe = await knex.raw<{ rows: { tile: Buffer | null }[] }>(MVT_PROBE);
    mvt = (probe.rows[0]?.tile?.length ?? 0) > 0;
  } catch {
    mvt = false;
  }
  return { mvt, postgis: rows[0]?.version ?? 'unknown' };
}

function describePgError(err: unknown, secret: string): string {
  const e = err as { code?: string; message?: string };
  let reason: string;
  switch (e.code) {
    case 'ECONNREFUSED':
      reason = 'connection refused (is PostgreSQL running on that host and port?)';
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = 'unknown host';
      break;
    case 'ETIMEDOUT':
      reason = 'connection timed out';
      break;
    case '3D000':
      reason = 'the database does not exist';
      break;
    case '28P01':
    case '28000':
      reason = 'authentication failed (check the user and password in DATABASE_URL)';
      break;
    default:
      reason = e.message ?? String(err);
  }
  return scrub(reason, secret);
}

function scrubError(err: unknown, secret: string): unknown {
  if (!secret || !(err instanceof Error) || !err.message.includes(secret)) return err;
  if (isTidemarkError(err))
    return new TidemarkError(err.code, scrub(err.message, secret), { status: err.status });
  return new Error(scrub(err.message, secret));
}

function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}

function passwordOf(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.password) || parsed.searchParams.get('password') || '';
  } catch {
    return '';
  }
}
