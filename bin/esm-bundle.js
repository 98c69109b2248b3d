// Bundles of our TypeScript entry points, cached in node_modules/.cache/tidemark-bundles/<name>/ and rebuilt
// whenever one of their sources changes. Plain JavaScript: bin/tidemark.js checks for a fresh bundle before
// anything TypeScript can be loaded. Types: esm-bundle.d.ts.
//
// Why bundle: under tsx every process pays tsx's start-up (a loader thread, about 0.25 s) and every worker
// thread gets CommonJS-style modules whose imported bindings are property getters. A bundle is plain ESM:
// `tidemark extract` starts in a fraction of the time, which is most of what a small scene costs.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Inside node_modules, so a bundle's bare imports (geotiff, koa…) resolve as the sources' do. */
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'tidemark-bundles');
/** Builds older than this, no longer current, are removed (a running process may still be loading one). */
const STALE_BUILD_MS = 10 * 60 * 1000;

/**
 * @typedef {{ build: string, entry: string, inputs: Record<string, number> }} Manifest
 *   build: directory of the build (under the bundle's cache directory); entry: the entry file in it;
 *   inputs: absolute path of every bundled source → its mtime (ms) when built.
 */

/** @param {string} name */
function manifestPath(name) {
  return join(CACHE_DIR, name, 'current.json');
}

/**
 * The file URL of the named bundle's entry when it exists and none of its sources changed since, else null.
 * @param {string} name
 * @returns {string | null}
 */
export function freshBundle(name) {
  try {
    /** @type {Manifest} */
    const manifest = JSON.parse(readFileSync(manifestPath(name), 'utf8'));
    const entries = Object.entries(manifest.inputs);
    // Built before the bundler's own options counted as an input (see publish): rebuild.
    if (!(fileURLToPath(import.meta.url) in manifest.inputs)) return null;
    for (const [path, mtime] of entries) if (statSync(path).mtimeMs !== mtime) return null;
    const entry = join(CACHE_DIR, name, manifest.build, manifest.entry);
    statSync(entry);
    return pathToFileURL(entry).href;
  } catch {
    return null;
  }
}

/**
 * Packages bundled in rather than left as imports: geotiff.js (with its own dependencies) is three dozen
 * small ES modules, and every thread that imports it (the main thread and each extraction worker) pays for
 * resolving and loading each one: about 40 ms, against about 15 ms for the same code inside one bundle.
 */
const BUNDLED_PACKAGES = new Set(['geotiff']);

/** Our own dependencies except the bundled ones: left as imports (the bundle resolves them from here). */
function externalPackages() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !BUNDLED_PACKAGES.has(n));
}

/**
 * esbuild's options for one of our entry points: ESM for Node 20, dependencies left as imports but for
 * BUNDLED_PACKAGES. With `splitting`, each dynamic import() becomes a chunk loaded only when reached (the
 * CLI's commands).
 * @param {string} entry absolute path
 * @param {string} outdir
 * @param {boolean} splitting
 */
function buildOptions(entry, outdir, splitting) {
  return {
    entryPoints: { main: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting,
    platform: /** @type {const} */ ('node'),
    format: /** @type {const} */ ('esm'),
    target: 'node20',
    external: externalPackages(),
    metafile: true,
    absWorkingDir: ROOT,
    logLevel: /** @type {const} */ ('silent'),
  };
}

/**
 * esbuild plugin: every `import.meta.url` in our own sources becomes that source file's URL, so paths
 * resolved against it (package.json, fixtures, the viewer, worker sources) are the same bundled or not.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  /** @param {any} build */
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (/** @type {{ path: string }} */ args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      return {
        contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: args.path.endsWith('.ts') ? 'ts' : 'js',
      };
    });
  },
};

/**
 * Records a finished build as the bundle's current one (atomically: a concurrent reader sees the old or the
 * new manifest whole), and removes old builds.
 * @param {string} name
 * @param {string} build
 * @param {{ inputs: Record<string, unknown> }} metafile
 */
function publish(name, build, metafile) {
  /** @type {Record<string, number>} */
  const inputs = {};
  // The bundler's own options (this file) and the dependency list are inputs of every build too.
  for (const path of [fileURLToPath(import.meta.url), join(ROOT, 'package.json')])
    inputs[path] = statSync(path).mtimeMs;
  for (const input of Object.keys(metafile.inputs)) {
    const path = resolve(ROOT, input);
    inputs[path] = statSync(path).mtimeMs;
  }
  const target = manifestPath(name);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ build, entry: 'main.mjs', inputs }));
  renameSync(temp, target);
  const dir = join(CACHE_DIR, name);
  for (const other of readdirSync(dir)) {
    if (other === build || !other.startsWith('build-')) continue;
    try {
      if (Date.now() - statSync(join(dir, other)).mtimeMs > STALE_BUILD_MS)
        rmSync(join(dir, other), { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

/** @param {string} name */
function newBuildDir(name) {
  const build = `build-${Date.now().toString(36)}-${process.pid}`;
  mkdirSync(join(CACHE_DIR, name, build), { recursive: true });
  return build;
}

function loadEsbuild() {
  // A dev dependency: without it (a production install) callers run the sources through tsx instead.
  return createRequire(import.meta.url)('esbuild');
}

/**
 * Runs one esbuild build into a new build directory of the named bundle and publishes it; on any failure
 * (no esbuild, unwritable cache, a source that does not build) removes the directory and gives null. `run`
 * returns esbuild's result, or a promise of it.
 * @template {{ metafile: { inputs: Record<string, unknown> } }} R
 * @param {string} name
 * @param {(esbuild: any, outdir: string) => R | Promise<R>} run
 * @returns {string | null | Promise<string | null>}
 */
function buildInto(name, run) {
  /** @type {string | undefined} */
  let build;
  const fail = () => {
    if (build) rmSync(join(CACHE_DIR, name, build), { recursive: true, force: true });
    return null;
  };
  const done = (/** @type {R} */ result) => {
    publish(name, /** @type {string} */ (build), result.metafile);
    return pathToFileURL(join(CACHE_DIR, name, /** @type {string} */ (build), 'main.mjs')).href;
  };
  try {
    const esbuild = loadEsbuild();
    build = newBuildDir(name);
    const result = run(esbuild, join(CACHE_DIR, name, build));
    return result instanceof Promise ? result.then(done).catch(fail) : done(result);
  } catch {
    return fail();
  }
}

/**
 * Builds the named bundle of `entry` (asynchronously, with module URLs kept) and returns its entry's file
 * URL, or null when it cannot be built (no esbuild, unwritable cache).
 * @param {{ name: string, entry: string, splitting?: boolean }} options
 * @returns {Promise<string | null>}
 */
export async function buildBundle({ name, entry, splitting = false }) {
  return buildInto(name, (esbuild, outdir) =>
    esbuild.build({ ...buildOptions(entry, outdir, splitting), plugins: [keepModuleUrls] }),
  );
}

/**
 * Like buildBundle, synchronously, for callers that cannot wait (creating a worker pool). esbuild runs no
 * plugins synchronously, so the sources of such a bundle must not depend on `import.meta.url`.
 * @param {{ name: string, entry: string, splitting?: boolean }} options
 * @returns {string | null}
 */
export function buildBundleSync({ name, entry, splitting = false }) {
  return /** @type {string | null} */ (
    buildInto(name, (esbuild, outdir) => esbuild.buildSync(buildOptions(entry, outdir, splitting)))
  );
}
