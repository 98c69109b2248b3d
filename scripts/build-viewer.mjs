#!/usr/bin/env node
// Builds viewer/ into dist/viewer (run by `npm run build:viewer` and by npm's `prepare` on install).
// The builder is TypeScript like the rest of the code, so it runs through tsx; an optional argument overrides
// the output directory.
import { register } from 'tsx/esm/api';

register();
const { buildViewer, DEFAULT_VIEWER_DIR } = await import('../viewer/build-viewer.ts');
const outDir = process.argv[2] ?? DEFAULT_VIEWER_DIR;
const started = performance.now();
const build = await buildViewer(outDir);
process.stdout.write(
  `viewer built into ${build.outDir} (${build.files.length} files, ${Math.round(performance.now() - started)} ms)\n`,
);
