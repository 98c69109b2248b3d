#!/usr/bin/env node
// Runs the CLI from its bundle (bin/esm-bundle.js), rebuilt whenever a source changed; without esbuild (a
// production install) or with TIDEMARK_NO_BUNDLE=1, runs the TypeScript sources through tsx instead.
import { join } from 'node:path';
import { buildBundle, freshBundle, ROOT } from './esm-bundle.js';

const useBundle = process.env.TIDEMARK_NO_BUNDLE !== '1';
const bundle =
  useBundle &&
  (freshBundle('cli') ??
    (await buildBundle({ name: 'cli', entry: join(ROOT, 'cli', 'main.ts'), splitting: true })));
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
