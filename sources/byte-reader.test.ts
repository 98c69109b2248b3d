import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import { openSceneSource } from './open-scene-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-http-'));
const W = 48;
const H = 40;
let server: Server;
let base = '';
const requests: string[] = [];

/** A static file server that answers Range requests, except under /norange/. */
function serve(): Promise<void> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname} ${req.headers.range ?? 'full'}`);
    const name = url.pathname.replace(/^\/(norange\/)?/, '');
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!range || url.pathname.startsWith('/norange/')) {
      res.writeHead(200, { 'content-length': body.length }).end(body);
      return;
    }
    const start = Number(range[1]);
    const end = Math.min(Number(range[2]), body.length - 1);
    res
      .writeHead(206, {
        'content-range': `bytes ${start}-${end}/${body.length}`,
        'content-length': end - start + 1,
      })
      .end(body.subarray(start, end + 1));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') base = `http://127.0.0.1:${address.port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  const band = (k: number) => Uint16Array.from({ length: W * H }, (_, i) => 1000 * k + (i % 997));
  writeFileSync(
    join(dir, 'cog.tif'),
    encodeGeoTiff({
      width: W,
      height: H,
      bands: [band(1), band(2), band(3)],
      bandDescriptions: ['B03', 'B08', 'B11'],
      epsg: 32648,
      geoTransform: [470000, 10, 0, 960000, 0, -10],
      tileSize: 16,
      compression: 'deflate',
      predictor: 2,
    }),
  );
  writeFileSync(
    join(dir, 'item.json'),
    JSON.stringify({
      type: 'Feature',
      stac_version: '1.0.0',
      id: 'x',
      properties: { datetime: '2020-01-02' },
      assets: { B03: { href: 'cog.tif' } },
    }),
  );
  await serve();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('http(s) COGs', () => {
  it('reads a GeoTIFF over HTTP through range requests, with the same pixels as from disk', async () => {
    requests.length = 0;
    const remote = await openGeoTiffSource(`${base}/cog.tif?token=abc`);
    const local = await openGeoTiffSource(join(dir, 'cog.tif'));
    expect(remote.info.fileName).toBe('cog.tif');
    expect(remote.info.geoTransform).toEqual(local.info.geoTransform);
    const window = { x0: 5, y0: 7, x1: 40, y1: 33 };
    const a = await remote.readWindow(window, ['green', 'swir16']);
    const b = await local.readWindow(window, ['green', 'swir16']);
    expect(a).toEqual(b);
    expect(requests.every((r) => !r.endsWith('full'))).toBe(true);
  });

  it('resolves a STAC Item fetched over HTTP and its relative asset hrefs', async () => {
    const source = await openSceneSource(`${base}/item.json`);
    expect(source.info.fileName).toBe('item.json');
    expect(source.info.date).toBe('2020-01-02');
    const read = await source.readWindow({ x0: 0, y0: 0, x1: 2, y1: 1 }, ['green']);
    expect(Array.from(read.green)).toEqual([1000, 1001]);
  });

  it('says NOT_FOUND for a 404 and UNSUPPORTED for a server without range requests', async () => {
    const missing = await openGeoTiffSource(`${base}/nope.tif`).catch((e: unknown) => e);
    expect((missing as TidemarkError).code).toBe('NOT_FOUND');
    const noRange = await openGeoTiffSource(`${base}/norange/cog.tif`).catch((e: unknown) => e);
    expect((noRange as TidemarkError).code).toBe('UNSUPPORTED');
    expect((noRange as Error).message).toMatch(/range requests/);
  });
});
