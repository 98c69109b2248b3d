import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { processStartTime } from '../common/process-alive.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

/** The pid of a process that has certainly exited (we waited for its exit event). */
function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  return new Promise((resolve) => child.on('exit', () => resolve(child.pid!)));
}

describe('acquireDataDirLock', () => {
  let dir: string;
  let lockPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-lock-'));
    lockPath = join(dir, 'tidemark.lock');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is exclusive until released', async () => {
    const lock = await acquireDataDirLock(lockPath, dir);
    const err = await acquireDataDirLock(lockPath, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('CONFLICT');
    expect((err as TidemarkError).message).toContain(`already open in process ${process.pid}`);
    await lock.release();
    const again = await acquireDataDirLock(lockPath, dir);
    await again.release();
  });

  it('takes over a lock left by a process that died', async () => {
    const pid = await deadPid();
    await writeFile(lockPath, JSON.stringify({ pid, hostname: hostname(), startedAt: 'earlier' }));
    const lock = await acquireDataDirLock(lockPath, dir);
    expect(JSON.parse(await readFile(lockPath, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('takes over a lock of an earlier process that had this pid (a restarted container), not its own', async () => {
    const ownStart = processStartTime(process.pid);
    expect(ownStart).toMatch(/^\d+$/);
    const earlier = String(Number(ownStart) - 1);
    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.pid, pidStart: earlier, hostname: hostname(), startedAt: 'earlier' }),
    );
    const lock = await acquireDataDirLock(lockPath, dir);
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      pidStart: ownStart,
    });
    await lock.release();
  });

  it('treats a lock of this pid without a start time (written by an older version) as held', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: 'now' }));
    const err = await acquireDataDirLock(lockPath, dir).catch((e: unknown) => e);
    expect((err as TidemarkError).code).toBe('CONFLICT');
  });

  it('takes over an unreadable lock file', async () => {
    await writeFile(lockPath, '{"pid": ');
    const lock = await acquireDataDirLock(lockPath, dir);
    await lock.release();
  });

  it('respects a lock held on another host, naming it', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: 1, hostname: 'elsewhere.example', startedAt: 'now' }));
    const err = await acquireDataDirLock(lockPath, dir).catch((e: unknown) => e);
    expect((err as TidemarkError).code).toBe('CONFLICT');
    expect((err as TidemarkError).message).toContain('on elsewhere.example');
  });

  it('does not remove a lock that is no longer its own', async () => {
    const lock = await acquireDataDirLock(lockPath, dir);
    const other = JSON.stringify({ pid: 1, hostname: 'elsewhere.example', startedAt: 'later' });
    await writeFile(lockPath, other);
    await lock.release();
    expect(await readFile(lockPath, 'utf8')).toBe(other);
  });
});
