import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { encodeGeoTiff } from '../fixtures/geotiff-writer.ts';
import { fetchErrorText, localPath } from './byte-reader.ts';
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

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

async function failure(location: string): Promise<TidemarkError> {
  const err = await openGeoTiffSource(location).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TidemarkError);
  return err as TidemarkError;
}

describe('scene locations that cannot be read', () => {
  it('says "no such file" for a missing local file', async () => {
    const path = join(dir, 'nonexist.tif');
    const err = await failure(path);
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toBe(`cannot read scene ${path}: no such file`);
  });

  it('says a directory is not a regular file', async () => {
    expect((await failure(dir)).message).toBe(`${dir} is not a regular file`);
  });

  it.each([
    ['ftp://x/y.tif', 'ftp'],
    ['s3://bucket/scene.tif', 's3'],
  ])('names the unsupported URL scheme of %s instead of looking for a file', async (location, scheme) => {
    const err = await failure(location);
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toBe(
      `${location}: unsupported URL scheme ${scheme}: (use a local path, file:// or http(s)://)`,
    );
  });

  it('reads a file:// URL as the local file it names', async () => {
    const source = await openGeoTiffSource(pathToFileURL(join(dir, 'cog.tif')).href);
    expect(source.info.fileName).toBe('cog.tif');
    expect(source.info.bandMap).toEqual({ green: 1, nir: 2, swir16: 3 });
    await source.close();
    expect(localPath('relative/scene.tif')).toBe('relative/scene.tif');
  });

  it('says why a fetch failed: the connection was refused', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/scene.tif`;
    const err = await failure(url);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe(`cannot fetch ${url}: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`);
    const item = await openSceneSource(url.replace(/tif$/, 'json')).catch((e: unknown) => e);
    expect((item as Error).message).toMatch(/fetch failed \(connect ECONNREFUSED/);
  });
});

describe('fetchErrorText', () => {
  // Node's fetch rejects with a TypeError whose cause holds the network error (undici).
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

  it('adds the code when the cause does not state it', () => {
    const cause = Object.assign(new Error('getaddrinfo ENOTFOUND tiles.example'), { code: 'ENOTFOUND' });
    expect(fetchErrorText(fetchFailed(cause))).toBe('fetch failed (getaddrinfo ENOTFOUND tiles.example)');
    const quiet = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(fetchErrorText(fetchFailed(quiet))).toBe('fetch failed (UND_ERR_SOCKET: other side closed)');
  });

  it('lists the errors of every address tried', () => {
    const cause = Object.assign(
      new AggregateError([
        new Error('connect ECONNREFUSED ::1:8080'),
        new Error('connect ECONNREFUSED 127.0.0.1:8080'),
      ]),
      { code: 'ECONNREFUSED' },
    );
    expect(fetchErrorText(fetchFailed(cause))).toBe(
      'fetch failed (connect ECONNREFUSED ::1:8080; connect ECONNREFUSED 127.0.0.1:8080)',
    );
  });

  it('keeps the message when there is no cause', () => {
    expect(fetchErrorText(new TypeError('fetch failed'))).toBe('fetch failed');
  });
});
