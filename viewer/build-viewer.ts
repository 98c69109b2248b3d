import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../common/write-file-atomic.ts';

/** Where `npm run build:viewer` (and `prepare`) writes, and what the API serves at `/` by default. */
export const DEFAULT_VIEWER_DIR = fileURLToPath(new URL('../dist/viewer/', import.meta.url));

const VIEWER_SRC = fileURLToPath(new URL('./', import.meta.url));
const ASSETS = 'assets';
/** Records which inputs produced a build, so a server start can tell a stale build from a current one. */
const STAMP_FILE = '.build-hash';
const require = createRequire(import.meta.url);

export interface ViewerBuild {
  outDir: string;
  /** Paths relative to outDir of everything written, index.html included. */
  files: string[];
  inputHash: string;
}

/**
 * The external basemap style URL for the page (TIDEMARK_BASEMAP_STYLE), or "" for the offline default. It must
 * be an absolute http(s) URL: anything else is a configuration error, reported rather than silently ignored.
 */
export function basemapStyleFromEnv(raw: string | undefined = process.env.TIDEMARK_BASEMAP_STYLE): string {
  const value = raw?.trim() ?? '';
  if (value === '') return '';
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(
      `TIDEMARK_BASEMAP_STYLE must be an absolute http(s) URL of a MapLibre style, got '${value}'`,
    );
  }
  return url.href;
}

const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' };

/** Writes the basemap URL into the page's `<meta name="tidemark:basemap-style">` (escaped for an attribute). */
export function injectBasemapStyle(html: string, basemapStyleUrl: string): string {
  const meta = /<meta name="tidemark:basemap-style" content="[^"]*">/;
  if (!meta.test(html)) throw new Error('viewer/index.html lacks <meta name="tidemark:basemap-style">');
  const escaped = basemapStyleUrl.replace(/[&"<>]/g, (c) => ATTRIBUTE_ESCAPES[c]!);
  return html.replace(meta, () => `<meta name="tidemark:basemap-style" content="${escaped}">`);
}

/**
 * Hash of everything the bundle is made from: our sources, this builder, the MapLibre version and the
 * basemap setting (so changing TIDEMARK_BASEMAP_STYLE rebuilds the page on the next start).
 */
export async function viewerInputHash(basemapStyleUrl: string = basemapStyleFromEnv()): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`basemap:${basemapStyleUrl}\n`);
  const names = (await readdir(VIEWER_SRC, { recursive: true }))
    .filter((n) => /\.(ts|html|css)$/.test(n) && !/\.test\.ts$/.test(n))
    .sort();
  for (const name of names) {
    hash.update(name);
    hash.update(await readFile(join(VIEWER_SRC, name)));
  }
  hash.update(await readFile(require.resolve('maplibre-gl/package.json')));
  return hash.digest('hex');
}

function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 12).replace(/[-_]/g, 'x');
}

/**
 * Bundles viewer/ with esbuild into `outDir`: minified, content-hashed assets under `assets/`, and an
 * `index.html` rewritten to reference them. MapLibre's worker is copied as its own hashed file because MapLibre 6
 * starts it from a URL (it is an ES module worker, not inlined).
 */
export async function buildViewer(
  outDir: string = DEFAULT_VIEWER_DIR,
  opts: { basemapStyleUrl?: string } = {},
): Promise<ViewerBuild> {
  const esbuild = await import('esbuild');
  const basemapStyleUrl = opts.basemapStyleUrl ?? basemapStyleFromEnv();
  const inputHash = await viewerInputHash(basemapStyleUrl);
  // The worker's sourceMappingURL names a map we do not ship; drop it so devtools do not request it (404).
  const workerSource = (
    await readFile(require.resolve('maplibre-gl/dist/maplibre-gl-worker.mjs'), 'utf8')
  ).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const workerBytes = new TextEncoder().encode(workerSource);
  const workerFile = `${ASSETS}/maplibre-gl-worker-${contentHash(workerBytes)}.mjs`;

  const result = await esbuild.build({
    entryPoints: { main: join(VIEWER_SRC, 'main.ts'), style: join(VIEWER_SRC, 'viewer.css') },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    platform: 'browser',
    sourcemap: 'linked',
    legalComments: 'linked',
    entryNames: `${ASSETS}/[name]-[hash]`,
    assetNames: `${ASSETS}/[name]-[hash]`,
    outdir: outDir,
    write: false,
    metafile: true,
    logLevel: 'silent',
    define: { TIDEMARK_WORKER_URL: JSON.stringify(`./${workerFile}`) },
  });

  const outputs = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) outputs.set(relative(outDir, file.path), file.contents);
  outputs.set(workerFile, workerBytes);

  const entryOutput = (entry: string): string => {
    const meta = result.metafile.outputs;
    for (const [path, out] of Object.entries(meta)) {
      if (out.entryPoint?.endsWith(entry) && !path.endsWith('.map')) {
        return relative(outDir, path);
      }
    }
    throw new Error(`esbuild produced no output for ${entry}`);
  };
  const mainJs = entryOutput('viewer/main.ts');
  const styleCss = entryOutput('viewer/viewer.css');

  const template = await readFile(join(VIEWER_SRC, 'index.html'), 'utf8');
  const marker = /<!--\s*tidemark:assets\s*-->/;
  if (!marker.test(template)) throw new Error('viewer/index.html lacks the <!-- tidemark:assets --> marker');
  const html = injectBasemapStyle(template, basemapStyleUrl).replace(
    marker,
    `<link rel="stylesheet" href="./${styleCss}">\n    <script type="module" src="./${mainJs}"></script>`,
  );

  await mkdir(join(outDir, ASSETS), { recursive: true });
  // Hashed assets first, index.html last: a concurrent reader sees either the old page or the new one, whole.
  for (const [path, bytes] of outputs) {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    writeFileAtomic(join(outDir, path), bytes);
  }
  writeFileAtomic(join(outDir, 'index.html'), html);
  writeFileAtomic(join(outDir, STAMP_FILE), `${inputHash}\n`);

  // Drop assets of earlier builds: hashed names mean nothing current refers to them.
  const current = new Set([...outputs.keys()].map((p) => p.slice(ASSETS.length + 1)));
  for (const name of await readdir(join(outDir, ASSETS))) {
    if (!current.has(name) && !name.endsWith('.tmp')) await rm(join(outDir, ASSETS, name), { force: true });
  }
  return { outDir, files: [...outputs.keys(), 'index.html'].sort(), inputHash };
}

/** True when `outDir` holds a build of the current sources. */
export async function isViewerBuildCurrent(outDir: string = DEFAULT_VIEWER_DIR): Promise<boolean> {
  const stampPath = join(outDir, STAMP_FILE);
  if (!existsSync(join(outDir, 'index.html')) || !existsSync(stampPath)) return false;
  const stamp = (await readFile(stampPath, 'utf8')).trim();
  return stamp === (await viewerInputHash());
}

/** Builds the viewer unless `outDir` already holds a build of the current sources. */
export async function ensureViewerBuilt(outDir: string = DEFAULT_VIEWER_DIR): Promise<{ built: boolean }> {
  if (await isViewerBuildCurrent(outDir)) return { built: false };
  await buildViewer(outDir);
  return { built: true };
}
