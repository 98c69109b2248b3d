import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../store/api-keys.ts';
import { createSite } from '../store/sites.ts';
import { tileForLonLat } from '../test/support/decode-tile.ts';
import { SYNTHETIC_COAST, storeSyntheticYear } from '../test/support/synthetic-shorelines.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { appRequestListener, createApp } from './app.ts';
import { closeRestApi } from './rest-api.ts';
import { MIN_COMPRESS_BYTES } from './tile-cache.ts';

const ORIGIN = 'https://maps.example.org';
const YEARS = [2016, 2017, 2018, 2019, 2020];
const MID_LON = (SYNTHETIC_COAST.west + SYNTHETIC_COAST.east) / 2;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request that does not decompress: status, headers (without Date) and the bytes on the wire. */
function send(url: string, method: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const { date: _date, ...rest } = res.headers;
        resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server | undefined): Promise<void> {
  if (server === undefined) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Records every request that reaches Koa (the fast path answers the others before it). */
function watchKoa(app: Koa): string[] {
  const reached: string[] = [];
  app.middleware.unshift(async (ctx, next) => {
    reached.push(`${ctx.method} ${ctx.url}`);
    await next();
  });
  return reached;
}

describe.each([
  ['cache off', 0],
  ['cache on', 1 << 20],
])('the tile fast path (%s)', (_label, tileCacheBytes) => {
  let db: TestDatabase;
  let app: Koa;
  let reachedKoa: string[];
  let fast: { server: Server; url: string };
  let koaOnly: { server: Server; url: string };
  let privateApp: Koa;
  let privateServer: { server: Server; url: string };
  let key: string;
  const logger = pino({ level: 'silent' });
  const big = tileForLonLat(MID_LON, SYNTHETIC_COAST.lat + 0.004, 11);
  const tilePath = (t: { z: number; x: number; y: number }, qs = '') =>
    `/tiles/shorelines/${t.z}/${t.x}/${t.y}.mvt${qs}`;
  /** A tile under MIN_COMPRESS_BYTES, found in beforeAll. */
  let small = '';

  beforeAll(async () => {
    db = await openTestDatabase();
    const site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    await createSite(db.knex, { slug: 'empty-site', name: 'No data yet', epsg: 32648 });
    for (const year of YEARS) await storeSyntheticYear(db.knex, site.id, year);
    key = (await createApiKey(db.knex, { role: 'analyst', name: 'fast path' })).key;
    // Behind a trusted proxy, with CORS for one origin: every header the fast path has to get right.
    app = createApp({ db, logger, tileCacheBytes, trustProxy: true, rest: { corsOrigins: [ORIGIN] } });
    reachedKoa = watchKoa(app);
    fast = await listen(appRequestListener(app));
    koaOnly = await listen(app.callback());
    privateApp = createApp({ db, logger, tileCacheBytes, rest: { publicReads: false } });
    privateServer = await listen(appRequestListener(privateApp));

    for (const z of [16, 15, 14, 13]) {
      const path = tilePath(tileForLonLat(MID_LON, SYNTHETIC_COAST.lat, z), '?from=2016&to=2016');
      const res = await send(koaOnly.url + path, 'GET', {});
      if (res.status === 200 && res.body.byteLength < MIN_COMPRESS_BYTES) {
        small = path;
        break;
      }
    }
  });
  afterAll(async () => {
    await close(fast?.server);
    await close(koaOnly?.server);
    await close(privateServer?.server);
    if (app) await closeRestApi(app);
    if (privateApp) await closeRestApi(privateApp);
    await db?.dispose();
  });

  /** The same request three ways: fast path, through Koa with a key, and through Koa alone. */
  async function threeWays(method: string, path: string, headers: Record<string, string> = {}) {
    const before = reachedKoa.length;
    const viaFastPath = await send(fast.url + path, method, headers);
    const fastPathReachedKoa = reachedKoa.length > before;
    const withKey = await send(fast.url + path, method, { ...headers, Authorization: `Bearer ${key}` });
    const viaKoa = await send(koaOnly.url + path, method, headers);
    return { viaFastPath, withKey, viaKoa, fastPathReachedKoa };
  }

  const sameAnswer = (a: Answer, b: Answer, what: string) => {
    expect(a.status, what).toBe(b.status);
    expect(a.headers, what).toEqual(b.headers);
    expect(a.body.equals(b.body), what).toBe(true);
  };

  it('finds a tile small enough to be sent uncompressed', () => {
    expect(small).not.toBe('');
  });

  it.each([
    ['gzip', 'GET', () => tilePath(big), { 'Accept-Encoding': 'gzip' }, 200],
    ['brotli', 'GET', () => tilePath(big), { 'Accept-Encoding': 'gzip, deflate, br' }, 200],
    ['identity', 'GET', () => tilePath(big), {}, 200],
    ['a small tile, uncompressed', 'GET', () => small, { 'Accept-Encoding': 'gzip' }, 200],
    ['HEAD', 'HEAD', () => tilePath(big), { 'Accept-Encoding': 'gzip' }, 200],
    [
      'a filter',
      'GET',
      () => tilePath(big, '?site=ca-mau&from=2018&to=2019'),
      { 'Accept-Encoding': 'br' },
      200,
    ],
    ['an empty tile', 'GET', () => tilePath(tileForLonLat(-30, -40, 11)), { 'Accept-Encoding': 'gzip' }, 204],
    ['a site without data', 'GET', () => tilePath(big, '?site=empty-site'), {}, 204],
    ['an allowed Origin', 'GET', () => tilePath(big), { 'Accept-Encoding': 'gzip', Origin: ORIGIN }, 200],
    ['another Origin', 'GET', () => tilePath(big), { Origin: 'https://evil.example.com' }, 200],
    ['HTTPS behind the proxy', 'GET', () => tilePath(big), { 'X-Forwarded-Proto': 'https, http' }, 200],
  ] as const)(
    '%s: the same status, headers and bytes with and without a key, and as Koa alone gives them',
    async (what, method, path, headers, status) => {
      const { viaFastPath, withKey, viaKoa, fastPathReachedKoa } = await threeWays(method, path(), headers);
      expect(viaFastPath.status, what).toBe(status);
      expect(fastPathReachedKoa, `${what}: answered before Koa`).toBe(false);
      sameAnswer(viaFastPath, withKey, `${what}: with a key`);
      sameAnswer(viaFastPath, viaKoa, `${what}: Koa alone`);
      expect(viaFastPath.headers['x-content-type-options']).toBe('nosniff');
      expect(viaFastPath.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(viaFastPath.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    },
  );

  it('answers If-None-Match with the same 304 as Koa', async () => {
    const first = await send(fast.url + tilePath(big), 'GET', { 'Accept-Encoding': 'gzip' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const { viaFastPath, withKey, viaKoa, fastPathReachedKoa } = await threeWays('GET', tilePath(big), {
      'Accept-Encoding': 'gzip',
      'If-None-Match': etag,
    });
    expect(viaFastPath.status).toBe(304);
    expect(viaFastPath.body.byteLength).toBe(0);
    expect(fastPathReachedKoa).toBe(false);
    sameAnswer(viaFastPath, withKey, 'with a key');
    sameAnswer(viaFastPath, viaKoa, 'Koa alone');
  });

  it.each([
    ['z above the maximum', '/tiles/shorelines/23/0/0.mvt', {}, 400],
    ['x beyond 2^z', '/tiles/shorelines/3/8/0.mvt', {}, 400],
    ['a non-integer y', '/tiles/shorelines/4/1/1.5.mvt', {}, 400],
    ['an unknown parameter', '/tiles/shorelines/4/1/1.mvt?bbox=1,2,3,4', {}, 400],
    ['a repeated parameter', '/tiles/shorelines/4/1/1.mvt?site=ca-mau&site=ca-mau', {}, 400],
    ['an unknown layer', '/tiles/nope/1/1/1.mvt', {}, 404],
    [
      'an unknown site (found out after the fast path started work)',
      '/tiles/shorelines/4/1/1.mvt?site=nowhere',
      {},
      404,
    ],
    [
      'every coding refused',
      '/tiles/shorelines/4/1/1.mvt',
      { 'Accept-Encoding': 'identity;q=0, *;q=0' },
      406,
    ],
  ] as const)(
    'leaves %s to the app: the same problem+json as Koa alone',
    async (what, path, headers, status) => {
      const before = reachedKoa.length;
      const viaFastPath = await send(fast.url + path, 'GET', headers);
      expect(reachedKoa.length, `${what}: reached Koa`).toBe(before + 1);
      const viaKoa = await send(koaOnly.url + path, 'GET', headers);
      expect(viaFastPath.status).toBe(status);
      expect(viaFastPath.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(viaFastPath.headers['x-content-type-options']).toBe('nosniff');
      sameAnswer(viaFastPath, viaKoa, what);
      const problem = JSON.parse(viaFastPath.body.toString());
      expect(problem).toMatchObject({ status, instance: path.split('?')[0] });
    },
  );

  it('leaves a presented key to authentication: a bad one is a 401 even on a public read', async () => {
    const before = reachedKoa.length;
    const bad = await send(fast.url + tilePath(big), 'GET', { Authorization: 'Bearer not-a-key' });
    expect(reachedKoa.length).toBe(before + 1);
    expect(bad.status).toBe(401);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer realm="tidemark", error="invalid_token"/);
  });

  it('takes nothing when reads are private: no key is a 401, a key gets the tile', async () => {
    const anonymous = await send(privateServer.url + tilePath(big), 'GET', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    const withKey = await send(privateServer.url + tilePath(big), 'GET', { Authorization: `Bearer ${key}` });
    expect(withKey.status).toBe(200);
    expect(withKey.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
  });

  it('leaves other methods and other spellings of a tile URL to the app', async () => {
    for (const [method, path, headers] of [
      ['OPTIONS', tilePath(big), { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' }],
      ['POST', tilePath(big), {}],
      ['GET', '/tiles/shorel%69nes/11/1623/977.mvt', {}],
      ['GET', `${tilePath(big)}/`, {}],
    ] as const) {
      const before = reachedKoa.length;
      const viaFastPath = await send(fast.url + path, method, headers);
      expect(reachedKoa.length, `${method} ${path}`).toBe(before + 1);
      const viaKoa = await send(koaOnly.url + path, method, headers);
      sameAnswer(viaFastPath, viaKoa, `${method} ${path}`);
    }
  });
});
