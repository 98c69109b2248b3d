import { readFileSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerEntry } from './worker-bundle.ts';

const SOURCE = new URL('./extract-worker.ts', import.meta.url);

describe('workerEntry', () => {
  it('bundles the worker to plain ESM, reuses it, and rebuilds it when a source changes', () => {
    const first = workerEntry(SOURCE);
    expect(first.execArgv).toEqual([]);
    expect(first.filename).toMatch(
      /node_modules\/\.cache\/tidemark-bundles\/workers_extract-worker\/build-[^/]+\/main\.mjs$/,
    );
    const manifest = fileURLToPath(new URL('../current.json', first.filename));
    const inputs = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).inputs as Record<string, number>);
    expect(inputs.some((p) => p.endsWith('pipeline/marching-squares.ts'))).toBe(true);
    expect(workerEntry(SOURCE).filename).toBe(first.filename);
    // Touch one input: the manifest no longer matches, so a new build is made and becomes current.
    const touched = inputs.find((p) => p.endsWith('pipeline/union-find.ts'))!;
    const now = new Date();
    utimesSync(touched, now, now);
    const rebuilt = workerEntry(SOURCE).filename;
    expect(rebuilt).not.toBe(first.filename);
    expect(workerEntry(SOURCE).filename).toBe(rebuilt);
    const after = JSON.parse(readFileSync(manifest, 'utf8')).inputs as Record<string, number>;
    expect(after[touched]).toBeCloseTo(now.getTime(), -3);
  });

  it('holds geotiff.js itself, loaded only when reached, and goes stale with the bundler', () => {
    const { filename } = workerEntry(SOURCE);
    const code = readFileSync(fileURLToPath(filename), 'utf8');
    // Bundled (three dozen modules fewer to load per thread), not imported as a package.
    expect(code).not.toMatch(/from\s*["']geotiff["']/);
    expect(code).toMatch(/from\s*["']piscina["']/);
    // A DEFLATE scene's worker never needs geotiff.js (sources/geotiff-lib.ts): neither it nor the http and
    // https modules its HTTP client imports are part of the worker's start-up, only of a chunk import() loads.
    const chunk = code.match(/import\(["'](\.\/geotiff-[^"']+\.mjs)["']\)/)?.[1];
    expect(chunk).toBeDefined();
    expect(code).not.toMatch(/function fromArrayBuffer\(/);
    expect(code).not.toMatch(/from\s*["'](node:)?https?["']/);
    const geotiffChunk = readFileSync(fileURLToPath(new URL(chunk!, filename)), 'utf8');
    expect(geotiffChunk).toMatch(/function fromArrayBuffer\(/);
    const manifest = fileURLToPath(new URL('../current.json', filename));
    const inputs = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).inputs as Record<string, number>);
    expect(inputs.some((p) => p.endsWith('bin/esm-bundle.js'))).toBe(true);
    expect(inputs.some((p) => p.endsWith('/package.json') && !p.includes('node_modules'))).toBe(true);
  });

  it('runs through tsx when asked to', () => {
    process.env.TIDEMARK_WORKERS_VIA_TSX = '1';
    try {
      expect(workerEntry(SOURCE)).toEqual({ filename: SOURCE.href, execArgv: ['--import', 'tsx'] });
    } finally {
      delete process.env.TIDEMARK_WORKERS_VIA_TSX;
    }
  });
});
