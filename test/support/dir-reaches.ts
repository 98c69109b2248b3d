import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';

/** Resolves once `check(entries of dir)` holds, re-checking on every change in dir (no polling, no sleeps). */
export async function dirReaches(dir: string, check: (entries: string[]) => boolean): Promise<void> {
  const watcher = watch(dir);
  try {
    const changed = () => new Promise<void>((resolve) => watcher.once('change', () => resolve()));
    for (;;) {
      const next = changed();
      if (check(await readdir(dir))) return;
      await next;
    }
  } finally {
    watcher.close();
  }
}
