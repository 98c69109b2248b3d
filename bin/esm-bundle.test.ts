import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle, freshBundle, ROOT } from './esm-bundle.js';

// Sources must lie inside the repository (the bundle records them relative to it); test-artifacts/ is ignored.
const DIR = join(ROOT, 'test-artifacts', `esm-bundle-${process.pid}`);
const NAME = `test-esm-bundle-${process.pid}`;

afterAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  rmSync(join(ROOT, 'node_modules', '.cache', 'tidemark-bundles', NAME), { recursive: true, force: true });
});

describe('buildBundle', () => {
  it('bundles TypeScript with lazy chunks, keeps each module its own URL, and goes stale when a source changes', async () => {
    mkdirSync(join(DIR, 'lib'), { recursive: true });
    const entry = join(DIR, 'entry.ts');
    const lib = join(DIR, 'lib', 'where.ts');
    writeFileSync(lib, 'export const where: string = import.meta.url;\n');
    writeFileSync(
      entry,
      'export const self: string = import.meta.url;\n' +
        "export const lazy = async (): Promise<string> => (await import('./lib/where.ts')).where;\n",
    );
    expect(freshBundle(NAME)).toBeNull();
    const url = await buildBundle({ name: NAME, entry, splitting: true });
    expect(url).not.toBeNull();
    expect(freshBundle(NAME)).toBe(url);
    const mod = (await import(url!)) as { self: string; lazy: () => Promise<string> };
    expect(mod.self).toBe(pathToFileURL(entry).href);
    expect(await mod.lazy()).toBe(pathToFileURL(lib).href);
    const later = new Date(Date.now() + 5000);
    utimesSync(lib, later, later);
    expect(freshBundle(NAME)).toBeNull();
  });

  it('gives null, not a broken bundle, when the entry cannot be built', async () => {
    expect(await buildBundle({ name: NAME, entry: join(DIR, 'missing.ts') })).toBeNull();
  });
});
