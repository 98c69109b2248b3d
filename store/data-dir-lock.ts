import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TidemarkError } from '../common/errors.ts';
import { currentProcessStamp, stampAlive } from '../common/process-alive.ts';

interface LockOwner {
  pid: number;
  /** The process's start time (see ProcessStamp); absent in locks written before it was recorded. */
  pidStart?: string | null;
  hostname: string;
  startedAt: string;
}

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

/**
 * An exclusive lock file for an embedded data directory. PGlite has no postmaster and no lock of its own,
 * so two processes on one data directory would both write to it and corrupt it. A lock left behind by a
 * crashed process (same host, pid gone) is taken over.
 */
export async function acquireDataDirLock(lockPath: string, dataDirForMessages: string): Promise<DataDirLock> {
  const stamp = currentProcessStamp();
  const me: LockOwner = {
    pid: stamp.pid,
    pidStart: stamp.start,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  const body = JSON.stringify(me);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(body);
      } finally {
        await handle.close();
      }
      const onExit = () => releaseSync(lockPath, body);
      process.once('exit', onExit);
      return {
        path: lockPath,
        release: async () => {
          process.removeListener('exit', onExit);
          await releaseIfOurs(lockPath, body);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(lockPath);
    if (owner && isHeld(owner)) {
      const where =
        owner.hostname === me.hostname ? `process ${owner.pid}` : `process ${owner.pid} on ${owner.hostname}`;
      throw new TidemarkError(
        'CONFLICT',
        `the embedded database in ${dataDirForMessages} is already open in ${where}. ` +
          'Stop that process, or set TIDEMARK_DATA_DIR to another directory ' +
          `(if no Tidemark process is running, delete ${lockPath}).`,
        { details: { dataDir: dataDirForMessages, pid: owner.pid } },
      );
    }
    // Stale lock from a process that no longer exists (or an unreadable, half-written lock): take it over.
    await unlink(lockPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  throw new TidemarkError('CONFLICT', `could not lock the embedded database in ${dataDirForMessages}: retry`);
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return {
      pid: parsed.pid,
      pidStart: typeof parsed.pidStart === 'string' ? parsed.pidStart : null,
      hostname: parsed.hostname,
      startedAt: String(parsed.startedAt ?? ''),
    };
  } catch {
    return null;
  }
}

function isHeld(owner: LockOwner): boolean {
  // A lock from another host cannot be checked: treat it as held rather than risk two writers.
  if (owner.hostname !== hostname()) return true;
  // A lock of a process that had this very pid before a restart (a container's pid 1) is stale.
  return stampAlive({ pid: owner.pid, start: owner.pidStart ?? null });
}

async function releaseIfOurs(lockPath: string, body: string): Promise<void> {
  try {
    if ((await readFile(lockPath, 'utf8')) === body) await unlink(lockPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function releaseSync(lockPath: string, body: string): void {
  try {
    if (readFileSync(lockPath, 'utf8') === body) unlinkSync(lockPath);
  } catch {
    // Exiting anyway: a lock we could not remove is detected as stale on the next open.
  }
}
