import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentProcessStamp, processAlive, processStartTime, stampAlive } from './process-alive.ts';

/** A child process that has certainly exited, with the start time it had while it ran. */
async function exitedChild(): Promise<{ pid: number; start: string | null }> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
  await new Promise((resolve) => child.once('spawn', resolve));
  const start = processStartTime(child.pid!);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
  return { pid: child.pid!, start };
}

describe('process stamps', () => {
  it('reads a start time that tells this process from an earlier one with the same pid', () => {
    const own = currentProcessStamp();
    expect(own.pid).toBe(process.pid);
    expect(own.start).toMatch(/^\d+$/);
    expect(stampAlive(own)).toBe(true);
    expect(stampAlive({ pid: process.pid, start: String(Number(own.start) - 1) })).toBe(false);
    // Without a start time only the pid can be checked.
    expect(stampAlive({ pid: process.pid, start: null })).toBe(true);
  });

  it('reads the start time past a command name holding spaces and parentheses', async () => {
    const child = spawn('/bin/sh', ['-c', 'exec -a "odd) name (x" sleep 10']);
    await new Promise((resolve) => child.once('spawn', resolve));
    try {
      const start = processStartTime(child.pid!);
      expect(start).toMatch(/^\d+$/);
      expect(Number(start)).toBeGreaterThanOrEqual(Number(currentProcessStamp().start));
    } finally {
      child.kill();
    }
  });

  it('says a process that exited is gone, by pid and by stamp', async () => {
    const gone = await exitedChild();
    expect(gone.start).toMatch(/^\d+$/);
    expect(processAlive(gone.pid)).toBe(false);
    expect(processStartTime(gone.pid)).toBeNull();
    expect(stampAlive(gone)).toBe(false);
  });
});
