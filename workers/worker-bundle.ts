import { fileURLToPath } from 'node:url';
import { buildBundleSync, freshBundle, ROOT } from '../bin/esm-bundle.js';

export interface WorkerEntry {
  /** File URL Piscina loads. */
  filename: string;
  execArgv: string[];
}

/**
 * The entry for a TypeScript worker. Under tsx, a worker thread gets CommonJS-style modules whose every
 * imported binding is a property getter, and pays tsx's start-up in each thread; so the worker is bundled
 * (bin/esm-bundle.js) into real ESM, cached until one of its sources changes. Without esbuild, when the
 * cache cannot be written, or with TIDEMARK_WORKERS_VIA_TSX=1, the worker runs through tsx.
 */
export function workerEntry(source: URL): WorkerEntry {
  const fallback: WorkerEntry = { filename: source.href, execArgv: ['--import', 'tsx'] };
  if (process.env.TIDEMARK_WORKERS_VIA_TSX === '1') return fallback;
  const sourcePath = fileURLToPath(source);
  const name = sourcePath.slice(ROOT.length).replace(/[\\/]/g, '_').replace(/\.ts$/, '');
  // Split: what a worker reaches only through import() (geotiff.js, sources/geotiff-lib.ts) stays out of
  // its start-up.
  const bundle = freshBundle(name) ?? buildBundleSync({ name, entry: sourcePath, splitting: true });
  return bundle ? { filename: bundle, execArgv: [] } : fallback;
}
