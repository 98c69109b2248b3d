import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pondFarmsOfSeries } from '../fixtures/pond-farms.ts';
import { decodeTile } from '../test/support/decode-tile.ts';

interface SiteDetail {
  analysis: {
    analysisId: number;
    shorelineCount: number;
    transectsWithRate: number;
    erodingKm: number;
    accretingKm: number;
  } | null;
}

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

  it('ingests and analyses the fixture series once, adds its farms as zones, serves tiles over the coast, and reuses the data on a second run', async () => {
    const farms = await pondFarmsOfSeries(fileURLToPath(new URL('../fixtures/scenes/', import.meta.url)));
    let analysisId: number;
    const first = await startDemo(dataDir);
    try {
      expect(first.stderr()).toContain('ingested fixture scene');
      expect(first.stderr()).toContain('fixture site analysed');
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);

      // The analyst's first view has rates and forecasts to show, not an empty site.
      const site = (await (await fetch(`${first.url}/api/sites/ca-mau`)).json()) as SiteDetail;
      expect(site.analysis).not.toBeNull();
      analysisId = site.analysis!.analysisId;
      expect(site.analysis!.shorelineCount).toBe(10);
      expect(site.analysis!.transectsWithRate).toBeGreaterThan(50);
      // The fixture coast erodes along most of its length and accretes at the cape.
      expect(site.analysis!.erodingKm).toBeGreaterThan(0);
      expect(site.analysis!.accretingKm).toBeGreaterThan(0);
      const zones = (await (await fetch(`${first.url}/api/sites/ca-mau/zones`)).json()) as {
        features: { properties: { externalId: string } }[];
      };
      expect(zones.features.map((f) => f.properties.externalId)).toEqual(farms.map((f) => f.externalId));

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
      expect(second.stderr()).not.toContain('fixture site analysed');
      expect(second.stderr()).not.toContain('sample aquaculture zones added');
      expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
      const site = (await (await fetch(`${second.url}/api/sites/ca-mau`)).json()) as SiteDetail;
      expect(site.analysis?.analysisId).toBe(analysisId);
    } finally {
      expect(await stopDemo(second)).toBe(0);
    }
  });
});
