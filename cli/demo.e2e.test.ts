import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTile } from '../test/support/decode-tile.ts';

// `npm start` on a fresh machine: the demo always runs on the embedded database (DATABASE_URL removed), so this
// file is also the suite's guaranteed pass over the embedded path.
const BIN = new URL('../bin/tidemark.js', import.meta.url).pathname;

interface Demo {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
}

function startDemo(dataDir: string): Promise<Demo> {
  const env: NodeJS.ProcessEnv = { ...process.env, TIDEMARK_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [BIN, 'demo', '--port', '0'], { env });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1].replace(/\/$/, ''), stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`demo exited with ${code} before serving:\n${err}`)));
  });
}

function stopDemo(demo: Demo): Promise<number | null> {
  return new Promise((resolve) => {
    demo.child.on('exit', (code) => resolve(code));
    demo.child.kill('SIGTERM');
  });
}

function tileFor(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

describe('tidemark demo (embedded database)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tidemark-demo-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ingests the fixture series once, serves tiles over the coast, and reuses the data on a second run', async () => {
    const first = await startDemo(dataDir);
    try {
      expect(first.stderr()).toContain('ingested fixture scene');
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);

      const tilejson = (await (await fetch(`${first.url}/tiles/shorelines.json`)).json()) as {
        tiles: string[];
        bounds: [number, number, number, number];
      };
      expect(tilejson.tiles[0]).toMatch(/^http:\/\//);
      const [w, s, e, n] = tilejson.bounds;
      const z = 12;
      const { x, y } = tileFor((w + e) / 2, (s + n) / 2, z);
      const tileUrl = tilejson.tiles[0]!.replace('{z}', String(z))
        .replace('{x}', String(x))
        .replace('{y}', String(y));
      const res = await fetch(tileUrl);
      expect(res.status).toBe(200);
      const features = decodeTile(new Uint8Array(await res.arrayBuffer())).shorelines ?? [];
      expect(features.length).toBeGreaterThan(0);
      const years = new Set(features.map((f) => Number(f.properties.year)));
      expect([...years].sort()).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    } finally {
      expect(await stopDemo(first)).toBe(0);
    }

    const second = await startDemo(dataDir);
    try {
      expect(second.stderr()).not.toContain('ingested fixture scene');
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    } finally {
      expect(await stopDemo(second)).toBe(0);
    }
  });
});
