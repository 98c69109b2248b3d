import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** File URL Piscina loads. */
  filename: string;
  execArgv: string[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Inside node_modules, so the bundle's bare imports (geotiff, piscina…) resolve as the sources' do. */
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'tidemark-workers');

interface Manifest {
  /** Absolute input path → mtime (ms) when the bundle was built. */
  inputs: Record<string, number>;
}

function fresh(bundle: string, manifestPath: string): boolean {
  try {
    statSync(bundle);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const entries = Object.entries(manifest.inputs);
    return entries.length > 0 && entries.every(([path, mtime]) => statSync(path).mtimeMs === mtime);
  } catch {
    return false;
  }
}

/**
 * The entry for a TypeScript worker. Under tsx, a worker thread gets CommonJS-style modules whose every
 * imported binding is a property getter, and pays tsx's start-up in each thread; so the worker is bundled
 * once with esbuild (a dev dependency) into real ESM, cached until one of its sources changes. Without
 * esbuild, or when the cache cannot be written, the worker runs through tsx as before.
 */
export function workerEntry(source: URL): WorkerEntry {
  const fallback: WorkerEntry = { filename: source.href, execArgv: ['--import', 'tsx'] };
  if (process.env.TIDEMARK_WORKERS_VIA_TSX === '1') return fallback;
  const sourcePath = fileURLToPath(source);
  const name = sourcePath.slice(ROOT.length).replace(/[\\/]/g, '_').replace(/\.ts$/, '');
  const bundle = join(CACHE_DIR, `${name}.mjs`);
  const manifestPath = join(CACHE_DIR, `${name}.inputs.json`);
  if (fresh(bundle, manifestPath)) return { filename: pathToFileURL(bundle).href, execArgv: [] };
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    mkdirSync(CACHE_DIR, { recursive: true });
    // Built beside the final name, then renamed: concurrent processes never load a half-written bundle.
    const temp = `${bundle}.${process.pid}.tmp.mjs`;
    const result = esbuild.buildSync({
      entryPoints: [sourcePath],
      outfile: temp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs: Record<string, number> = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const path = resolve(process.cwd(), input);
      inputs[path] = statSync(path).mtimeMs;
    }
    renameSync(temp, bundle);
    const manifestTemp = `${manifestPath}.${process.pid}.tmp`;
    writeFileSync(manifestTemp, JSON.stringify({ inputs } satisfies Manifest));
    renameSync(manifestTemp, manifestPath);
    return { filename: pathToFileURL(bundle).href, execArgv: [] };
  } catch {
    rmSync(join(dirname(bundle), `${name}.mjs.${process.pid}.tmp.mjs`), { force: true });
    return fallback;
  }
}
