import { readFileSync } from 'node:fs';

/**
 * Whether a process of this host with that pid exists: signal 0 checks without sending anything. EPERM
 * means it exists but belongs to another user.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A process of this host, told apart from a later one that got the same pid (a container restarted, where
 * the server is pid 1 every time): `start` is when it started, in clock ticks since boot (Linux
 * `/proc/<pid>/stat`, field 22), or null where that cannot be read.
 */
export interface ProcessStamp {
  pid: number;
  start: string | null;
}

/** The start time of a process of this host, from /proc; null when there is no such file (not Linux, gone). */
export function processStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}

let ownStamp: ProcessStamp | null = null;

/** This process's stamp. */
export function currentProcessStamp(): ProcessStamp {
  ownStamp ??= { pid: process.pid, start: processStartTime(process.pid) };
  return ownStamp;
}

/**
 * Whether the process a stamp names still runs on this host. Without a start time to compare (an old record,
 * or no /proc), the pid alone decides, so a pid reused by another process counts as alive.
 */
export function stampAlive(stamp: ProcessStamp): boolean {
  if (!processAlive(stamp.pid)) return false;
  if (stamp.start === null) return true;
  const start = processStartTime(stamp.pid);
  return start === null || start === stamp.start;
}
