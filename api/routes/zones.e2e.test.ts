import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite, getSiteBySlug } from '../../store/sites.ts';
import { squareRing } from '../../test/support/lon-lat-rings.ts';
import {
  bearer,
  expectProblem,
  newKey,
  type RestTestServer,
  startRestTestServer,
  storedCounts,
} from '../../test/support/rest-api-server.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { zoneCollectionSchema, zoneFeatureSchema } from '../openapi/schemas.ts';

const POND = { type: 'Polygon', coordinates: [squareRing(104.74, 8.64, 0.01)] };
const TWO_PONDS = {
  type: 'MultiPolygon',
  coordinates: [[squareRing(104.74, 8.64, 0.005)], [squareRing(104.76, 8.64, 0.005)]],
};
const BOWTIE = {
  type: 'Polygon',
  coordinates: [
    [
      [104.74, 8.64],
      [104.75, 8.65],
      [104.75, 8.64],
      [104.74, 8.65],
      [104.74, 8.64],
    ],
  ],
};

describe('aquaculture zones over HTTP', () => {
  let db: TestDatabase;
  let server: RestTestServer;
  let analyst: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    await createSite(db.knex, { slug: 'other', name: 'Other', epsg: 32648 });
    analyst = await newKey(db, 'analyst');
    server = await startRestTestServer(db, { publicReads: true });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  const send = (
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = bearer(analyst),
  ) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const version = async () => (await getSiteBySlug(db.knex, 'ca-mau'))!.dataVersion;

  /** ST_Area of a GeoJSON geometry in EPSG:32648, computed by PostGIS directly. */
  async function areaM2(geometry: unknown): Promise<number> {
    const { rows } = await db.knex.raw<{ rows: { a: number }[] }>(
      'SELECT ST_Area(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?::text), 4326), 32648)) AS a',
      [JSON.stringify(geometry)],
    );
    return rows[0]!.a;
  }

  it('create → read → list → patch → delete, each write bumping the site data version', async () => {
    const v0 = await version();
    const created = await send('POST', '/api/sites/ca-mau/zones', {
      name: 'Pond A',
      kind: 'shrimp',
      geometry: POND,
      externalId: 'farm-17',
      properties: { owner: 'co-op 3' },
    });
    expect(created.status).toBe(201);
    const zone = zoneFeatureSchema.parse(await created.json());
    expect(created.headers.get('location')).toBe(`/api/zones/${zone.id}`);
    expect(zone.geometry.type).toBe('MultiPolygon');
    expect(zone.properties).toMatchObject({
      site: 'ca-mau',
      name: 'Pond A',
      kind: 'shrimp',
      externalId: 'farm-17',
      properties: { owner: 'co-op 3' },
    });
    expect(zone.properties.areaM2).toBeCloseTo(await areaM2(POND), 3);
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);

    const read = zoneFeatureSchema.parse(await (await fetch(`${server.url}/api/zones/${zone.id}`)).json());
    expect(read).toEqual(zone);
    const list = zoneCollectionSchema.parse(
      await (await fetch(`${server.url}/api/sites/ca-mau/zones`)).json(),
    );
    expect(list.features.map((f) => f.id)).toEqual([zone.id]);
    const otherList = zoneCollectionSchema.parse(
      await (await fetch(`${server.url}/api/sites/other/zones`)).json(),
    );
    expect(otherList.features).toEqual([]);

    const patched = await send('PATCH', `/api/zones/${zone.id}`, {
      name: 'Pond A (east)',
      geometry: TWO_PONDS,
    });
    expect(patched.status).toBe(200);
    const changed = zoneFeatureSchema.parse(await patched.json());
    expect(changed.properties).toMatchObject({
      name: 'Pond A (east)',
      kind: 'shrimp',
      externalId: 'farm-17',
    });
    expect(changed.properties.areaM2).toBeCloseTo(await areaM2(TWO_PONDS), 3);
    expect((changed.geometry.coordinates as unknown[]).length).toBe(2);
    const v2 = await version();
    expect(v2).toBeGreaterThan(v1);

    const cleared = zoneFeatureSchema.parse(
      await (await send('PATCH', `/api/zones/${zone.id}`, { kind: null, externalId: null })).json(),
    );
    expect(cleared.properties).toMatchObject({ kind: null, externalId: null, name: 'Pond A (east)' });

    const deleted = await send('DELETE', `/api/zones/${zone.id}`, '');
    expect(deleted.status).toBe(204);
    expect(await version()).toBeGreaterThan(v2);
    await expectProblem(await fetch(`${server.url}/api/zones/${zone.id}`), 404);
    await expectProblem(await send('DELETE', `/api/zones/${zone.id}`, ''), 404);
    await expectProblem(await send('PATCH', `/api/zones/${zone.id}`, { name: 'gone' }), 404);
  });

  it('takes positions with an altitude (RFC 7946 allows one) and stores the outline in 2D', async () => {
    const withZ = (ring: number[][]) => ring.map(([lon, lat]) => [lon!, lat!, 1.5]);
    const created = await send('POST', '/api/sites/ca-mau/zones', {
      name: 'Pond Z',
      kind: 'shrimp',
      geometry: { type: 'Polygon', coordinates: [withZ(POND.coordinates[0]!)] },
    });
    expect(created.status).toBe(201);
    const zone = zoneFeatureSchema.parse(await created.json());
    const positions = (g: { coordinates: unknown }) => (g.coordinates as number[][][][]).flat(2);
    expect(positions(zone.geometry)).toHaveLength(5);
    for (const p of positions(zone.geometry)) expect(p).toHaveLength(2);
    expect(zone.properties.areaM2).toBeCloseTo(await areaM2(POND), 3);
    const patched = await send('PATCH', `/api/zones/${zone.id}`, {
      geometry: {
        type: 'MultiPolygon',
        coordinates: TWO_PONDS.coordinates.map((polygon) => polygon.map(withZ)),
      },
    });
    expect(patched.status).toBe(200);
    const twoPonds = zoneFeatureSchema.parse(await patched.json());
    expect(positions(twoPonds.geometry)).toHaveLength(10);
    for (const p of positions(twoPonds.geometry)) expect(p).toHaveLength(2);
    expect(twoPonds.properties.areaM2).toBeCloseTo(await areaM2(TWO_PONDS), 3);
    expect((await send('DELETE', `/api/zones/${zone.id}`, '')).status).toBe(204);
  });

  it('stores SQL-ish text literally', async () => {
    const name = "x'); DROP TABLE aquaculture_zones; --";
    const res = await send('POST', '/api/sites/ca-mau/zones', { name, kind: "' OR 1=1 --", geometry: POND });
    expect(res.status).toBe(201);
    const zone = zoneFeatureSchema.parse(await res.json());
    expect(zone.properties.name).toBe(name);
    const row = (await db.knex('aquaculture_zones').where({ id: zone.id }).first()) as { name: string };
    expect(row.name).toBe(name);
    expect((await send('DELETE', `/api/zones/${zone.id}`, '')).status).toBe(204);
  });

  describe('bad input changes nothing', () => {
    let before: Record<string, number>;
    beforeAll(async () => {
      before = await storedCounts(db);
    });

    it('422 for a self-intersecting polygon, naming the reason', async () => {
      const problem = await expectProblem(
        await send('POST', '/api/sites/ca-mau/zones', { name: 'bow', kind: 'shrimp', geometry: BOWTIE }),
        422,
      );
      expect(problem.detail).toMatch(/not valid: Self-intersection/i);
      expect(await storedCounts(db)).toEqual(before);
    });

    it('422 for a self-intersecting polygon in a patch, which leaves the zone as it was', async () => {
      const created = zoneFeatureSchema.parse(
        await (
          await send('POST', '/api/sites/ca-mau/zones', { name: 'keep', kind: 'fish', geometry: POND })
        ).json(),
      );
      const mid = await storedCounts(db);
      await expectProblem(
        await send('PATCH', `/api/zones/${created.id}`, { geometry: BOWTIE, name: 'x' }),
        422,
      );
      expect(await storedCounts(db)).toEqual(mid);
      const still = zoneFeatureSchema.parse(
        await (await fetch(`${server.url}/api/zones/${created.id}`)).json(),
      );
      expect(still).toEqual(created);
      expect((await send('DELETE', `/api/zones/${created.id}`, '')).status).toBe(204);
      before = await storedCounts(db);
    });

    it.each([
      [
        'an unclosed ring',
        {
          name: 'a',
          kind: 'k',
          geometry: { type: 'Polygon', coordinates: [squareRing(104.7, 8.6, 0.01).slice(0, 4)] },
        },
      ],
      [
        'too few positions',
        {
          name: 'a',
          kind: 'k',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [104.7, 8.6],
                [104.8, 8.6],
                [104.7, 8.6],
              ],
            ],
          },
        },
      ],
      [
        'a LineString',
        {
          name: 'a',
          kind: 'k',
          geometry: {
            type: 'LineString',
            coordinates: [
              [104.7, 8.6],
              [104.8, 8.7],
            ],
          },
        },
      ],
      [
        'a longitude out of range',
        { name: 'a', kind: 'k', geometry: { type: 'Polygon', coordinates: [squareRing(190, 8.6, 1)] } },
      ],
      [
        'a latitude out of range',
        { name: 'a', kind: 'k', geometry: { type: 'Polygon', coordinates: [squareRing(104, 95, 1)] } },
      ],
      ['string coordinates', { name: 'a', kind: 'k', geometry: { type: 'Polygon', coordinates: '[[0,0]]' } }],
      ['a missing name', { kind: 'k', geometry: POND }],
      ['an empty name', { name: ' ', kind: 'k', geometry: POND }],
      ['a missing kind', { name: 'a', geometry: POND }],
      ['an unknown field', { name: 'a', kind: 'k', geometry: POND, site_id: 2 }],
      ['properties that are not an object', { name: 'a', kind: 'k', geometry: POND, properties: [1, 2] }],
      ['a JSON array', [POND]],
      ['malformed JSON', '{"name": "a",'],
      ['an empty ring', { name: 'a', kind: 'k', geometry: { type: 'Polygon', coordinates: [[]] } }],
      [
        'an empty ring in a multipolygon',
        { name: 'a', kind: 'k', geometry: { type: 'MultiPolygon', coordinates: [[[]]] } },
      ],
      // PostgreSQL's text and jsonb cannot hold U+0000.
      ['a NUL character in the name', { name: 'pond\u0000', kind: 'k', geometry: POND }],
      [
        'a NUL character in a property',
        { name: 'a', kind: 'k', geometry: POND, properties: { o: 'x\u0000' } },
      ],
      [
        'a NUL character in a property name',
        { name: 'a', kind: 'k', geometry: POND, properties: { 'o\u0000': 1 } },
      ],
      // Nor a lone surrogate: JSON.stringify writes it as a \u escape, which jsonb refuses.
      [
        'a lone surrogate in a property',
        { name: 'a', kind: 'k', geometry: POND, properties: { p: '\udc00x' } },
      ],
      ['a lone surrogate in the name', { name: 'pond \ud800', kind: 'k', geometry: POND }],
    ])('400 for %s', async (_name, body) => {
      await expectProblem(await send('POST', '/api/sites/ca-mau/zones', body), 400);
      expect(await storedCounts(db)).toEqual(before);
    });

    it('400 for an empty patch, 415 for a body that is not JSON, 413 for a huge one', async () => {
      const zone = zoneFeatureSchema.parse(
        await (
          await send('POST', '/api/sites/ca-mau/zones', { name: 'p', kind: 'k', geometry: POND })
        ).json(),
      );
      const mid = await storedCounts(db);
      await expectProblem(await send('PATCH', `/api/zones/${zone.id}`, {}), 400);
      await expectProblem(
        await send('POST', '/api/sites/ca-mau/zones', 'name=a', {
          ...bearer(analyst),
          'Content-Type': 'text/plain',
        }),
        415,
      );
      const huge = JSON.stringify({
        name: 'a',
        kind: 'k',
        geometry: POND,
        properties: { pad: 'x'.repeat(6 << 20) },
      });
      await expectProblem(await send('POST', '/api/sites/ca-mau/zones', huge), 413);
      expect(await storedCounts(db)).toEqual(mid);
      expect((await send('DELETE', `/api/zones/${zone.id}`, '')).status).toBe(204);
      before = await storedCounts(db);
    });

    it('409 for a second zone with the same external id in a site', async () => {
      const first = await send('POST', '/api/sites/ca-mau/zones', {
        name: 'a',
        kind: 'k',
        geometry: POND,
        externalId: 'dup',
      });
      expect(first.status).toBe(201);
      const mid = await storedCounts(db);
      await expectProblem(
        await send('POST', '/api/sites/ca-mau/zones', {
          name: 'b',
          kind: 'k',
          geometry: POND,
          externalId: 'dup',
        }),
        409,
      );
      expect(await storedCounts(db)).toEqual(mid);
      // The same external id in another site is fine.
      expect(
        (
          await send('POST', '/api/sites/other/zones', {
            name: 'b',
            kind: 'k',
            geometry: POND,
            externalId: 'dup',
          })
        ).status,
      ).toBe(201);
      before = await storedCounts(db);
    });

    it('401 without a key, 404 for an unknown site, 400 for bad ids and slugs, 400 for query parameters', async () => {
      await expectProblem(
        await send('POST', '/api/sites/ca-mau/zones', { name: 'a', kind: 'k', geometry: POND }, {}),
        401,
      );
      await expectProblem(
        await send('POST', '/api/sites/nowhere/zones', { name: 'a', kind: 'k', geometry: POND }),
        404,
      );
      await expectProblem(await fetch(`${server.url}/api/sites/nowhere/zones`), 404);
      for (const id of ['abc', '0', '-3', '2.5', '1 OR 1=1', '1;DROP TABLE aquaculture_zones']) {
        await expectProblem(await fetch(`${server.url}/api/zones/${encodeURIComponent(id)}`), 400);
        await expectProblem(await send('DELETE', `/api/zones/${encodeURIComponent(id)}`, ''), 400);
      }
      await expectProblem(
        await fetch(`${server.url}/api/sites/${encodeURIComponent("ca-mau' --")}/zones`),
        400,
      );
      await expectProblem(await fetch(`${server.url}/api/sites/ca-mau/zones?kind=shrimp`), 400);
      await expectProblem(await fetch(`${server.url}/api/zones/999999`), 404);
      expect(await storedCounts(db)).toEqual(before);
    });
  });
});
