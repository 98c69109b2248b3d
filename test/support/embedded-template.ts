import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { openDatabase } from '../../store/db.ts';
import { LOCK_FILE_NAME } from '../../store/embedded-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'tidemark-test');
const PREFIX = 'pglite-template-';
const STALE_MS = 24 * 3600 * 1000;

/**
 * A migrated embedded data directory to copy for each embedded test database. Creating one costs ~15 s
 * (initdb + CREATE EXTENSION postgis), so it is cached under node_modules/.cache, keyed by the migrations'
 * source and the PGlite versions: any change to either builds a new one. Built in a side directory and
 * renamed into place, so concurrent runs never see a half-built template.
 */
export async function ensureEmbeddedTemplate(log: (line: string) => void): Promise<string> {
  const key = await templateKey();
  const dir = join(CACHE_DIR, `${PREFIX}${key}`);
  if (existsSync(join(dir, 'pgdata'))) return dir;
  await mkdir(CACHE_DIR, { recursive: true });
  await pruneStaleTemplates(dir);
  const building = join(CACHE_DIR, `building-${process.pid}-${randomBytes(4).toString('hex')}`);
  log(`[tidemark] building the migrated embedded test database template (once per schema change, ~15 s)`);
  try {
    const db = await openDatabase({ databaseUrl: '', dataDir: building, logger: pino({ level: 'warn' }) });
    await db.close();
    await rm(join(building, LOCK_FILE_NAME), { force: true });
    try {
      await rename(building, dir);
    } catch (err) {
      // Another run finished the same template first: use theirs.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return dir;
}

async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  const migrationsDir = join(ROOT, 'store', 'migrations');
  for (const file of (await readdir(migrationsDir)).sort()) {
    hash.update(file);
    hash.update(await readFile(join(migrationsDir, file)));
  }
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis']) {
    const { version } = JSON.parse(await readFile(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8'));
    hash.update(`${pkg}@${version}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Removes templates of older schemas and leftovers of interrupted builds, once they are a day old. */
async function pruneStaleTemplates(keep: string): Promise<void> {
  for (const name of await readdir(CACHE_DIR)) {
    const path = join(CACHE_DIR, name);
    if (path === keep || !(name.startsWith(PREFIX) || name.startsWith('building-'))) continue;
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > STALE_MS) await rm(path, { recursive: true, force: true });
  }
}
