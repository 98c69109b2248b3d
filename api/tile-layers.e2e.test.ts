import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSite } from '../services/analyze-site.ts';
import { listTransectResults } from '../store/analysis-reads.ts';
import { getDataExtent } from '../store/shorelines.ts';
import { bumpDataVersion, createSite } from '../store/sites.ts';
import { getLayerExtent } from '../store/tiles/layer-extent.ts';
import { VECTOR_LAYERS } from '../store/tiles/vector-layers.ts';
import { updateZone } from '../store/zones.ts';
import { type AnalysedFixtureSite, seedAnalysedFixtureSite } from '../test/support/analysed-fixture-site.ts';
import { decodeTile, tileForLonLat } from '../test/support/decode-tile.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { type RunningServer, startServer } from './server.ts';
import { MIN_COMPRESS_BYTES } from './tile-cache.ts';

const LAYERS = ['shorelines', 'change', 'transects', 'forecasts', 'hazard', 'zones'] as const;
type LayerId = (typeof LAYERS)[number];
const SITE = 'ca-mau';

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A raw GET that does not decompress, so Content-Encoding and the bytes on the wire can be checked. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
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

async function layerBounds(db: TestDatabase, layer: LayerId): Promise<[number, number, number, number]> {
  const extent =
    layer === 'shorelines' ? await getDataExtent(db, SITE) : await getLayerExtent(db, layer, SITE);
  expect(extent, `${layer} has data`).not.toBeNull();
  return extent!.bounds;
}

describe('tiles of every layer over HTTP, on an analysed fixture site', () => {
  let db: TestDatabase;
  let seeded: AnalysedFixtureSite;
  let server: RunningServer;
  /** A tile over the middle of each layer's data, at z13 (the whole fixture site is a few such tiles). */
  const centre = {} as Record<LayerId, { z: number; x: number; y: number }>;
  const tileUrl = (layer: LayerId, t = centre[layer], qs = '') =>
    `${server.url}/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt${qs}`;

  beforeAll(async () => {
    db = await openTestDatabase();
    seeded = await seedAnalysedFixtureSite(db, { slug: SITE });
    await createSite(db.knex, { slug: 'empty-site', name: 'No data yet', epsg: 32648 });
    for (const layer of LAYERS) {
      const [w, s, e, n] = await layerBounds(db, layer);
      centre[layer] = tileForLonLat((w + e) / 2, (s + n) / 2, 13);
    }
    // For zones, the tile of the first zone (an assessed one), whose edits the tests follow.
    const { rows } = await db.knex.raw<{ rows: { lon: number; lat: number }[] }>(
      'SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_PointOnSurface(geom) AS c FROM aquaculture_zones WHERE id = ?) q',
      [seeded.zoneIds[0]!],
    );
    centre.zones = tileForLonLat(rows[0]!.lon, rows[0]!.lat, 13);
    server = await startServer({
      db,
      port: 0,
      logger: pino({ level: 'silent' }),
      buildViewer: false,
      viewerDir: '/nonexistent',
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  describe.each(LAYERS)('%s', (layer) => {
    const spec = VECTOR_LAYERS[layer]!;

    it('TileJSON: absolute tile URLs carrying the filter, data bounds, zooms and fields', async () => {
      const res = await fetch(`${server.url}/tiles/${layer}.json?site=${SITE}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const json = await res.json();
      expect(json.tilejson).toBe('3.0.0');
      expect(json.tiles).toEqual([`${server.url}/tiles/${layer}/{z}/{x}/{y}.mvt?site=${SITE}`]);
      const bounds = await layerBounds(db, layer);
      (json.bounds as number[]).forEach((v, i) => {
        expect(v).toBeCloseTo(bounds[i]!, 5);
      });
      expect([json.minzoom, json.maxzoom]).toEqual([spec.minzoom, spec.maxzoom]);
      expect(json.vector_layers).toEqual([
        {
          id: layer,
          description: spec.description,
          minzoom: spec.minzoom,
          maxzoom: spec.maxzoom,
          fields: spec.fields,
        },
      ]);
      const all = await (await fetch(`${server.url}/tiles/${layer}.json`)).json();
      expect(all.tiles).toEqual([`${server.url}/tiles/${layer}/{z}/{x}/{y}.mvt`]);
    });

    it('a tile over the data decodes to features with integer ids and the announced fields', async () => {
      const res = await rawGet(tileUrl(layer), { 'Accept-Encoding': 'identity' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
      expect(res.headers['content-encoding']).toBeUndefined();
      const decoded = decodeTile(res.body);
      expect(Object.keys(decoded)).toEqual([layer]);
      const features = decoded[layer]!;
      expect(features.length).toBeGreaterThan(0);
      for (const f of features) {
        expect(Number.isInteger(f.id)).toBe(true);
        expect(Object.keys(spec.fields)).toEqual(expect.arrayContaining(Object.keys(f.properties)));
        expect(f.properties.site).toBe(SITE);
      }
      const filtered = await rawGet(tileUrl(layer, centre[layer], `?site=${SITE}`), {
        'Accept-Encoding': 'identity',
      });
      expect(filtered.body.equals(res.body)).toBe(true);
    });

    it('204 with no body for a tile without data, and for a site without data', async () => {
      const far = await fetch(tileUrl(layer, tileForLonLat(-30, -40, 13)));
      expect(far.status).toBe(204);
      expect((await far.arrayBuffer()).byteLength).toBe(0);
      const empty = await fetch(tileUrl(layer, centre[layer], '?site=empty-site'));
      expect(empty.status).toBe(204);
    });

    it('a strong ETag per coding, 304 for If-None-Match, gzip and brotli with Content-Encoding', async () => {
      const identity = await rawGet(tileUrl(layer), { 'Accept-Encoding': 'identity' });
      // identity;q=0: compressed whatever the tile's size.
      const gz = await rawGet(tileUrl(layer), { 'Accept-Encoding': 'gzip, identity;q=0' });
      expect(gz.status).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers.vary).toMatch(/accept-encoding/i);
      expect(gz.headers['cache-control']).toContain('must-revalidate');
      expect(gunzipSync(gz.body).equals(identity.body)).toBe(true);
      const br = await rawGet(tileUrl(layer), { 'Accept-Encoding': 'gzip, br, identity;q=0' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
      const etags = [identity, gz, br].map((r) => r.headers.etag as string);
      for (const etag of etags) expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(new Set(etags).size).toBe(3);
      // A browser's "gzip, deflate, br": brotli, unless the tile is too small to gain from compression.
      const browser = await rawGet(tileUrl(layer), { 'Accept-Encoding': 'gzip, deflate, br' });
      const small = identity.body.byteLength < MIN_COMPRESS_BYTES;
      expect(browser.headers['content-encoding']).toBe(small ? undefined : 'br');
      expect(browser.headers.etag).toBe(small ? etags[0] : etags[2]);

      const again = await rawGet(tileUrl(layer), {
        'Accept-Encoding': 'gzip, identity;q=0',
        'If-None-Match': etags[1]!,
      });
      expect(again.status).toBe(304);
      expect(again.body.byteLength).toBe(0);
      expect(again.headers.etag).toBe(etags[1]);
      const weak = await rawGet(tileUrl(layer), {
        'Accept-Encoding': 'gzip, identity;q=0',
        'If-None-Match': `"other", W/${etags[1]}`,
      });
      expect(weak.status).toBe(304);
      // The identity ETag does not validate the gzip bytes.
      const other = await rawGet(tileUrl(layer), {
        'Accept-Encoding': 'gzip, identity;q=0',
        'If-None-Match': etags[0]!,
      });
      expect(other.status).toBe(200);
    });

    it('400 problem+json for an unknown or malformed parameter, 404 for an unknown site', async () => {
      const bad = [
        '?bbox=1,2,3,4',
        '?site=Ca%20Mau',
        `?site=${SITE}&site=${SITE}`,
        "?site=x'%20OR%201=1--",
        ...(layer === 'shorelines' || layer === 'change'
          ? ['?from=2020&to=2016', '?from=2016;DROP%20TABLE%20sites']
          : ['?from=2016']),
      ];
      for (const qs of bad) {
        for (const url of [tileUrl(layer, centre[layer], qs), `${server.url}/tiles/${layer}.json${qs}`]) {
          const res = await fetch(url);
          expect(res.status, url).toBe(400);
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        }
      }
      for (const path of ['/0/0/1.mvt', '/23/0/0.mvt', '/3/8/0.mvt', '/3/1/1.5.mvt']) {
        expect((await fetch(`${server.url}/tiles/${layer}${path}`)).status, path).toBe(400);
      }
      expect((await fetch(tileUrl(layer, centre[layer], '?site=nowhere'))).status).toBe(404);
      expect((await fetch(`${server.url}/tiles/${layer}.json?site=nowhere`)).status).toBe(404);
    });
  });

  it('narrows change tiles and the announced years to a year range', async () => {
    const json = await (await fetch(`${server.url}/tiles/change.json?site=${SITE}&from=2018&to=2022`)).json();
    expect(json.tiles[0]).toMatch(/\?site=ca-mau&from=2018&to=2022$/);
    expect(json['tidemark:years']).toEqual({ min: 2018, max: 2022 });
    const res = await rawGet(tileUrl('change', centre.change, '?from=2018&to=2022'));
    for (const f of decodeTile(res.body).change!) {
      expect(Number(String(f.properties.period_start).slice(0, 4))).toBeGreaterThanOrEqual(2018);
      expect(Number(String(f.properties.period_end).slice(0, 4))).toBeLessThanOrEqual(2022);
    }
  });

  it('shows a new analysis at once: every analysis layer changes, its old ETag no longer matches', async () => {
    const before = {} as Record<LayerId, RawResponse>;
    for (const layer of LAYERS)
      before[layer] = await rawGet(tileUrl(layer), { 'Accept-Encoding': 'gzip, identity;q=0' });
    const oldTransects = new Set((await listTransectResults(db, seeded.site.id)).map((t) => t.id));
    expect(decodeTile(gunzipSync(before.zones.body)).zones!.some((f) => 'risk_class' in f.properties)).toBe(
      true,
    );

    // Wider transect spacing: a different analysis, stored with new rows (and the zone assessments of the
    // old one are gone with it).
    await analyzeSite(db, SITE, { spacingM: 200 });

    const newTransects = new Set((await listTransectResults(db, seeded.site.id)).map((t) => t.id));
    for (const layer of ['change', 'transects', 'forecasts', 'hazard', 'zones'] as const) {
      const etag = before[layer].headers.etag as string;
      const after = await rawGet(tileUrl(layer), {
        'Accept-Encoding': 'gzip, identity;q=0',
        'If-None-Match': etag,
      });
      expect(after.status, `${layer} changed`).toBe(200);
      expect(after.headers.etag).not.toBe(etag);
      const features = decodeTile(gunzipSync(after.body))[layer]!;
      if (layer === 'transects') {
        for (const f of features) {
          expect(newTransects.has(f.id!)).toBe(true);
          expect(oldTransects.has(f.id!)).toBe(false);
        }
      }
      if (layer === 'zones') expect(features.some((f) => 'risk_class' in f.properties)).toBe(false);
    }
    // Shorelines did not change: the same bytes, so the old ETag still answers 304.
    const shorelines = await rawGet(tileUrl('shorelines'), {
      'Accept-Encoding': 'gzip, identity;q=0',
      'If-None-Match': before.shorelines.headers.etag as string,
    });
    expect(shorelines.status).toBe(304);
  });

  it('shows a zone edit at once', async () => {
    const zoneId = seeded.zoneIds[0]!;
    const find = async () => {
      const res = await rawGet(tileUrl('zones'), { 'Accept-Encoding': 'identity' });
      return decodeTile(res.body).zones!.find((f) => f.id === zoneId);
    };
    expect((await find())?.properties.name).toBe('Shrimp farm 1');
    await updateZone(db, zoneId, { name: 'Shrimp farm 1 (renamed)' });
    expect((await find())?.properties.name).toBe('Shrimp farm 1 (renamed)');
  });

  it('shows a write made outside a transaction at once', async () => {
    const find = async (name: string) => {
      const res = await rawGet(tileUrl('zones'), { 'Accept-Encoding': 'identity' });
      return decodeTile(res.body).zones!.some((f) => f.properties.name === name);
    };
    expect(await find('Shrimp farm 1 (copy)')).toBe(false);
    // Two autocommitted statements, as a script or another tool would write.
    await db.knex.raw(
      `INSERT INTO aquaculture_zones (site_id, name, geom)
       SELECT site_id, 'Shrimp farm 1 (copy)', ST_Translate(geom, 0.0001, 0) FROM aquaculture_zones WHERE id = ?`,
      [seeded.zoneIds[0]!],
    );
    await bumpDataVersion(db.knex, seeded.site.id);
    expect(await find('Shrimp farm 1 (copy)')).toBe(true);
  });
});
