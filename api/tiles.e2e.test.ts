import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, type Site } from '../store/sites.ts';
import { decodeTile, tileForLonLat } from '../test/support/decode-tile.ts';
import { SYNTHETIC_COAST, storeSyntheticYear } from '../test/support/synthetic-shorelines.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { type RunningServer, startServer } from './server.ts';

const YEARS = [2016, 2017, 2018, 2019, 2020];
const MID_LON = (SYNTHETIC_COAST.west + SYNTHETIC_COAST.east) / 2;

/** Log lines the server writes, to check that a 5xx's error id reaches the log. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** A raw GET that does not decompress, so Content-Encoding and the bytes on the wire can be checked. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function expectProblem(res: Response, status: number): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  expect(typeof body.instance).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+|SELECT|postgres(ql)?:\/\//i);
  return body;
}

describe('tiles API over HTTP', () => {
  let db: TestDatabase;
  let site: Site;
  let server: RunningServer;
  const captured = capturingLogger();

  beforeAll(async () => {
    db = await openTestDatabase();
    site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    await createSite(db.knex, { slug: 'empty-site', name: 'No data yet', epsg: 32648 });
    for (const year of YEARS) await storeSyntheticYear(db.knex, site.id, year);
    server = await startServer({
      db,
      port: 0,
      logger: captured.logger,
      buildViewer: false,
      viewerDir: '/nonexistent',
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  it('reports health: database mode, PostGIS version, tile encoder and version', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      ok: true,
      version: '0.1.0',
      database: { mode: db.mode, postgis: db.capabilities.postgis },
      mvt: db.capabilities.mvt ? 'postgis' : 'js',
    });
  });

  describe('TileJSON', () => {
    it('describes the layer with absolute tile URLs on our origin, data bounds, zooms and fields', async () => {
      const res = await fetch(`${server.url}/tiles/shorelines.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = await res.json();
      expect(json.tilejson).toBe('3.0.0');
      expect(json.tiles).toEqual([`${server.url}/tiles/shorelines/{z}/{x}/{y}.mvt`]);
      const [w, s, e, n] = json.bounds as number[];
      expect(w).toBeCloseTo(SYNTHETIC_COAST.west, 3);
      expect(e).toBeCloseTo(SYNTHETIC_COAST.east, 3);
      expect(s!).toBeGreaterThan(SYNTHETIC_COAST.lat - 0.01);
      expect(n!).toBeLessThan(SYNTHETIC_COAST.lat + 0.002 * (2020 - 2016) + 0.01);
      expect(json.minzoom).toBeLessThanOrEqual(json.maxzoom);
      expect(json.vector_layers).toHaveLength(1);
      expect(json.vector_layers[0]).toMatchObject({
        id: 'shorelines',
        fields: { year: 'Number', date: 'String' },
      });
      expect(json['tidemark:years']).toEqual({ min: 2016, max: 2020 });
    });

    it('carries the filter into the tile URLs and narrows the year range', async () => {
      const json = await (
        await fetch(`${server.url}/tiles/shorelines.json?to=2019&site=ca-mau&from=2017`)
      ).json();
      expect(json.tiles).toEqual([
        `${server.url}/tiles/shorelines/{z}/{x}/{y}.mvt?site=ca-mau&from=2017&to=2019`,
      ]);
      expect(json['tidemark:years']).toEqual({ min: 2017, max: 2019 });
    });

    it('builds URLs from the Host header, and ignores X-Forwarded-* unless told to trust a proxy', async () => {
      const forwarded = {
        Host: 'tiles.example.org:9000',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'evil.test',
      };
      const plain = JSON.parse(
        (await rawGet(`${server.url}/tiles/shorelines.json`, forwarded)).body.toString(),
      );
      expect(plain.tiles[0]).toBe('http://tiles.example.org:9000/tiles/shorelines/{z}/{x}/{y}.mvt');

      const proxied = await startServer({
        db,
        port: 0,
        logger: captured.logger,
        buildViewer: false,
        trustProxy: true,
      });
      try {
        const json = JSON.parse(
          (await rawGet(`${proxied.url}/tiles/shorelines.json`, forwarded)).body.toString(),
        );
        expect(json.tiles[0]).toBe('https://evil.test/tiles/shorelines/{z}/{x}/{y}.mvt');
      } finally {
        await proxied.close();
      }
    });

    it('rejects a malformed Host header rather than reflecting it', async () => {
      const res = await rawGet(`${server.url}/tiles/shorelines.json`, { Host: 'a.test/"><script>' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('announces a site without data with world bounds and no years', async () => {
      const json = await (await fetch(`${server.url}/tiles/shorelines.json?site=empty-site`)).json();
      expect(json.bounds).toEqual([-180, -85.0511, 180, 85.0511]);
      expect(json['tidemark:years']).toBeUndefined();
    });
  });

  describe('tiles', () => {
    const over = tileForLonLat(MID_LON, SYNTHETIC_COAST.lat + 0.004, 11);
    const tileUrl = (t: { z: number; x: number; y: number }, qs = '') =>
      `${server.url}/tiles/shorelines/${t.z}/${t.x}/${t.y}.mvt${qs}`;

    it('serves a tile over the data that decodes to lines carrying the stored years', async () => {
      const res = await fetch(tileUrl(over));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      const layers = decodeTile(new Uint8Array(await res.arrayBuffer()));
      expect(Object.keys(layers)).toEqual(['shorelines']);
      const features = layers.shorelines!;
      expect(features.every((f) => f.type === 2)).toBe(true);
      expect(features.every((f) => Number.isInteger(f.id))).toBe(true);
      expect([...new Set(features.map((f) => f.properties.year))].sort()).toEqual(YEARS);
      for (const f of features) expect(f.properties.date).toBe(`${f.properties.year}-03-15`);
      expect(new Set(features.map((f) => f.properties.site))).toEqual(new Set(['ca-mau']));
    });

    it('filters by year range', async () => {
      const res = await fetch(tileUrl(over, '?from=2018&to=2019'));
      const features = decodeTile(new Uint8Array(await res.arrayBuffer())).shorelines!;
      expect([...new Set(features.map((f) => f.properties.year))].sort()).toEqual([2018, 2019]);
    });

    it('answers 204 with no body for a tile without data', async () => {
      const res = await fetch(tileUrl(tileForLonLat(-30, -40, 11)));
      expect(res.status).toBe(204);
      expect((await res.arrayBuffer()).byteLength).toBe(0);
      const siteWithoutData = await fetch(tileUrl(over, '?site=empty-site'));
      expect(siteWithoutData.status).toBe(204);
    });

    it('sends a strong ETag and answers 304 to If-None-Match', async () => {
      const first = await rawGet(tileUrl(over), {});
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers['cache-control']).toContain('must-revalidate');
      const again = await rawGet(tileUrl(over), { 'If-None-Match': etag });
      expect(again.status).toBe(304);
      expect(again.body.byteLength).toBe(0);
      expect(again.headers.etag).toBe(etag);
      const stale = await rawGet(tileUrl(over), { 'If-None-Match': '"not-this-one"' });
      expect(stale.status).toBe(200);
    });

    it('compresses with gzip or brotli, saying so in Content-Encoding, with a distinct ETag per coding', async () => {
      const identity = await rawGet(tileUrl(over), { 'Accept-Encoding': 'identity' });
      expect(identity.headers['content-encoding']).toBeUndefined();
      const gz = await rawGet(tileUrl(over), { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/accept-encoding/i);
      expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
      expect(gz.body.byteLength).toBeLessThan(identity.body.byteLength);
      expect(gz.headers.etag).not.toBe(identity.headers.etag);
      const br = await rawGet(tileUrl(over), { 'Accept-Encoding': 'gzip, br' });
      expect(br.headers['content-encoding']).toBe('br');
    });

    it('answers 406 when every coding is refused', async () => {
      const res = await rawGet(tileUrl(over), { 'Accept-Encoding': 'identity;q=0, *;q=0' });
      expect(res.status).toBe(406);
    });

    it('shows new data at once: the cache is keyed by the site data version', async () => {
      const before = decodeTile(new Uint8Array(await (await fetch(tileUrl(over))).arrayBuffer())).shorelines!;
      expect(before.some((f) => f.properties.year === 2021)).toBe(false);
      await storeSyntheticYear(db.knex, site.id, 2021);
      const after = decodeTile(new Uint8Array(await (await fetch(tileUrl(over))).arrayBuffer())).shorelines!;
      expect([...new Set(after.map((f) => f.properties.year))].sort()).toEqual([...YEARS, 2021]);
    });
  });

  describe('bad input gets 4xx problem+json', () => {
    it.each([
      ['z above the maximum', '/tiles/shorelines/23/0/0.mvt', 'z'],
      ['x equal to 2^z', '/tiles/shorelines/3/8/0.mvt', 'x'],
      ['y beyond 2^z', '/tiles/shorelines/0/0/1.mvt', 'y'],
      ['a negative x', '/tiles/shorelines/4/-1/0.mvt', 'x'],
      ['a non-integer y', '/tiles/shorelines/4/1/1.5.mvt', 'y'],
      ['a non-numeric z', '/tiles/shorelines/abc/1/1.mvt', 'z'],
      ['an unknown parameter', '/tiles/shorelines/4/1/1.mvt?bbox=1,2,3,4', 'bbox'],
      ['an unknown TileJSON parameter', '/tiles/shorelines.json?callback=x', 'callback'],
      ['a malformed site', '/tiles/shorelines/4/1/1.mvt?site=Ca%20Mau', 'site'],
      ['a SQL-ish site', "/tiles/shorelines/4/1/1.mvt?site=x'%20OR%201=1--", 'site'],
      ['a SQL-ish year', '/tiles/shorelines/4/1/1.mvt?from=2016;DROP%20TABLE%20sites', 'from'],
      ['a repeated site', '/tiles/shorelines/4/1/1.mvt?site=ca-mau&site=ca-mau', 'site'],
      ['from after to', '/tiles/shorelines.json?from=2020&to=2016', 'from'],
    ])('400 for %s', async (_label, path, param) => {
      const body = await expectProblem(await fetch(server.url + path), 400);
      expect(body.code).toBe('INVALID_INPUT');
      expect(body.instance).toBe(path.split('?')[0]);
      const names = (body.invalidParams as Array<{ name: string }>).map((p) => p.name);
      expect(names.join(',')).toContain(param);
    });

    it('404 for an unknown layer, an unknown site and an unknown path', async () => {
      await expectProblem(await fetch(`${server.url}/tiles/nope/1/1/1.mvt`), 404);
      await expectProblem(await fetch(`${server.url}/tiles/nope.json`), 404);
      const site404 = await expectProblem(
        await fetch(`${server.url}/tiles/shorelines/4/1/1.mvt?site=nowhere`),
        404,
      );
      expect(site404.detail).toContain('nowhere');
      await expectProblem(await fetch(`${server.url}/tiles/shorelines.json?site=nowhere`), 404);
      await expectProblem(await fetch(`${server.url}/no/such/path`), 404);
    });

    it('405 with Allow for a method the route does not take', async () => {
      const res = await fetch(`${server.url}/healthz`, { method: 'POST' });
      await expectProblem(res, 405);
      expect(res.headers.get('allow')).toMatch(/GET/);
    });

    it('none of the rejected requests changed stored data', async () => {
      const rows = (await db.knex('shorelines').count({ n: '*' }).first()) as { n: number };
      expect(rows.n).toBe(YEARS.length + 1);
      expect((await db.knex('sites').count({ n: '*' }).first()) as { n: number }).toEqual({ n: 2 });
    });
  });

  it('turns a server failure into a generic 500 with an error id that is also logged', async () => {
    const broken = await openTestDatabase();
    const failing = await startServer({ db: broken, port: 0, logger: captured.logger, buildViewer: false });
    try {
      // The database goes away under a running server: a real failure, not a mock.
      await broken.dispose();
      const body = await expectProblem(await fetch(`${failing.url}/tiles/shorelines/4/1/1.mvt`), 500);
      expect(body.title).toBe('Internal Server Error');
      expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(body)).not.toMatch(/knex|pool|connection|tidemark-testdb/i);
      const logged = captured.lines.filter((l) => l.includes(body.errorId as string));
      expect(logged.length).toBe(1);
      expect(JSON.parse(logged[0]!).level).toBe(50);
    } finally {
      await failing.close();
    }
  });
});
