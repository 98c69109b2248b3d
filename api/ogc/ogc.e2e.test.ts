import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionDocument } from './collection-documents.ts';
import type { GeoJsonFeature, GeoJsonFeatureCollection } from './feature-documents.ts';
import { LIMIT_MAX } from './items-query.ts';
import type { LandingPage } from './landing-page.ts';
import { expectProblem, getJson, type OgcTestEnv, startOgcTestEnv, tableCounts } from './ogc-e2e-support.ts';
import { CONFORMANCE_CLASSES } from './ogc-vocabulary.ts';
import { ASSESSED_RISK, EMPTY_SLUG, FIXTURE_SLUG, FIXTURE_YEARS } from './seed-ogc-fixtures.ts';

const COLLECTION_IDS = ['shorelines', 'transects', 'change', 'forecasts', 'hazard', 'zones', 'sites'];
type Page = GeoJsonFeatureCollection;
type Box = [number, number, number, number];

/** Every position of a GeoJSON geometry. */
function positions(geometry: unknown): number[][] {
  const out: number[][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') out.push(c as number[]);
    else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  walk((geometry as { coordinates?: unknown } | null)?.coordinates);
  return out;
}

function boxOf(geometry: unknown): Box {
  const ps = positions(geometry);
  const xs = ps.map((p) => p[0]!);
  const ys = ps.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function linkHref(page: { links: { rel: string; href: string }[] }, rel: string): string | undefined {
  return page.links.find((l) => l.rel === rel)?.href;
}

describe('OGC API Features over HTTP, on ingested and analysed fixture scenes', () => {
  let env: OgcTestEnv;
  let counts: Record<string, number>;
  const items = (id: string, query = '') => `${env.ogcUrl}/collections/${id}/items${query}`;
  const page = (id: string, query = '') => getJson<Page>(items(id, query)).then((r) => r.body);

  beforeAll(async () => {
    env = await startOgcTestEnv();
    counts = await tableCounts(env.db);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('has features in every collection', () => {
    for (const id of COLLECTION_IDS) expect(counts[id], id).toBeGreaterThan(0);
  });

  it('serves a landing page whose links lead to the definition, conformance and data', async () => {
    const { res, body } = await getJson<LandingPage>(env.ogcUrl);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const expected: Record<string, [string, RegExp]> = {
      self: [env.ogcUrl, /^application\/json/],
      'service-desc': [`${env.ogcUrl}/api`, /^application\/vnd\.oai\.openapi\+json;\s*version=3\.0/],
      conformance: [`${env.ogcUrl}/conformance`, /^application\/json/],
      data: [`${env.ogcUrl}/collections`, /^application\/json/],
    };
    for (const [rel, [href, type]] of Object.entries(expected)) {
      const link = body.links.find((l) => l.rel === rel);
      expect(link?.href, rel).toBe(href);
      const followed = await fetch(link!.href);
      expect(followed.status).toBe(200);
      expect(followed.headers.get('content-type')).toMatch(type);
      expect(link!.type && followed.headers.get('content-type')?.startsWith(link!.type.split(';')[0]!)).toBe(
        true,
      );
    }
  });

  it('serves the landing page as HTML to browsers and with f=html', async () => {
    for (const res of [
      await fetch(env.ogcUrl, { headers: { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } }),
      await fetch(`${env.ogcUrl}?f=html`),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain(`href="${env.ogcUrl}/collections"`);
    }
  });

  it('declares the core, geojson and oas30 conformance classes', async () => {
    const { body } = await getJson<{ conformsTo: string[] }>(`${env.ogcUrl}/conformance`);
    expect([...body.conformsTo].sort()).toEqual([...CONFORMANCE_CLASSES].sort());
    expect(body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
    expect(body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
    expect(body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30');
  });

  it('serves an OpenAPI 3.0 definition rooted at /ogc', async () => {
    const res = await fetch(`${env.ogcUrl}/api`);
    const doc = (await res.json()) as {
      openapi: string;
      servers: { url: string }[];
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(doc.servers).toEqual([{ url: env.ogcUrl }]);
    for (const id of COLLECTION_IDS) expect(doc.paths[`/collections/${id}/items`]).toBeDefined();
  });

  it('lists every collection with CRS84 and temporal extents taken from the data', async () => {
    const { body } = await getJson<{ collections: CollectionDocument[] }>(`${env.ogcUrl}/collections`);
    expect(body.collections.map((c) => c.id)).toEqual(COLLECTION_IDS);
    for (const c of body.collections) {
      expect(c).toMatchObject({
        itemType: 'feature',
        title: expect.any(String),
        description: expect.any(String),
      });
      expect(c.extent?.spatial?.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
      expect(linkHref(c, 'items')).toBe(items(c.id));
      expect(c.links.find((l) => l.rel === 'items')?.type).toBe('application/geo+json');
      const single = await getJson<CollectionDocument>(`${env.ogcUrl}/collections/${c.id}`);
      expect(single.body).toEqual(c);
    }
    const { rows } = await env.db.knex.raw<{
      rows: { w: number; s: number; e: number; n: number; first: string; last: string }[];
    }>(
      `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n, first, last
       FROM (SELECT ST_Extent(geom) AS x, min(date)::text AS first, max(date)::text AS last FROM shorelines) q`,
    );
    const truth = rows[0]!;
    const shorelines = body.collections[0]!;
    const [bbox] = shorelines.extent!.spatial!.bbox;
    expect(bbox![0]).toBeCloseTo(truth.w, 9);
    expect(bbox![1]).toBeCloseTo(truth.s, 9);
    expect(bbox![2]).toBeCloseTo(truth.e, 9);
    expect(bbox![3]).toBeCloseTo(truth.n, 9);
    expect(shorelines.extent?.temporal?.interval).toEqual([
      [`${truth.first}T00:00:00Z`, `${truth.last}T00:00:00Z`],
    ]);
    expect(truth.first.slice(0, 4)).toBe(String(FIXTURE_YEARS[0]));
  });

  it('answers items as GeoJSON with numberMatched equal to the stored rows, for every collection', async () => {
    for (const id of COLLECTION_IDS) {
      const res = await fetch(items(id, '?limit=1000'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/geo+json');
      const body = (await res.json()) as Page;
      expect(body.type).toBe('FeatureCollection');
      expect(body.numberMatched, id).toBe(counts[id]);
      expect(body.numberReturned).toBe(body.features.length);
      expect(body.features.length).toBe(counts[id]);
      expect(Date.parse(body.timeStamp)).not.toBeNaN();
      for (const f of body.features) expect(Number.isInteger(f.id)).toBe(true);
    }
  });

  it('walks the whole collection exactly once through next links, and back through prev links', async () => {
    const limit = 10;
    const forward: Page[] = [await page('transects', `?limit=${limit}`)];
    expect(linkHref(forward[0]!, 'prev')).toBeUndefined();
    for (let next = linkHref(forward[0]!, 'next'); next !== undefined; ) {
      const p = (await getJson<Page>(next)).body;
      forward.push(p);
      next = linkHref(p, 'next');
    }
    const ids = forward.flatMap((p) => p.features.map((f) => f.id));
    expect(ids).toHaveLength(counts.transects!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(forward).toHaveLength(Math.ceil(counts.transects! / limit));
    for (const p of forward) expect(p.numberMatched).toBe(counts.transects);

    const backward: Page[] = [forward[forward.length - 1]!];
    for (let prev = linkHref(backward[0]!, 'prev'); prev !== undefined; ) {
      const p = (await getJson<Page>(prev)).body;
      backward.unshift(p);
      prev = linkHref(p, 'prev');
    }
    expect(backward.map((p) => p.features.map((f) => f.id))).toEqual(
      forward.map((p) => p.features.map((f) => f.id)),
    );
  });

  it('keeps filters in the paging links', async () => {
    const { rows } = await env.db.knex.raw<{ rows: { rate_class: string; n: number }[] }>(
      'SELECT rate_class, count(*)::integer AS n FROM transect_stats GROUP BY rate_class ORDER BY n DESC LIMIT 1',
    );
    const { rate_class: rateClass, n } = rows[0]!;
    expect(n).toBeGreaterThan(1);
    const first = await page(
      'transects',
      `?limit=${Math.ceil(n / 2)}&rate_class=${rateClass}&bbox=100,0,110,20`,
    );
    const next = linkHref(first, 'next');
    expect(next).toContain(`rate_class=${rateClass}`);
    expect(next).toContain(`bbox=${encodeURIComponent('100,0,110,20')}`);
    const second = (await getJson<Page>(next!)).body;
    expect(first.numberReturned + second.numberReturned).toBe(n);
    expect(linkHref(second, 'next')).toBeUndefined();
    for (const f of [...first.features, ...second.features]) expect(f.properties.rate_class).toBe(rateClass);
  });

  it('follows its own prev link from past the largest cursor back to the last page', async () => {
    const past = await page('shorelines', `?after=${Number.MAX_SAFE_INTEGER}`);
    expect(past.numberReturned).toBe(0);
    const prev = linkHref(past, 'prev');
    const all = await page('shorelines', '?limit=1000');
    // Just past the last feature, not the cursor + 1 (2^53, which is no feature id).
    expect(new URL(prev!).searchParams.get('before')).toBe(String(Number(all.features.at(-1)!.id) + 1));
    const last = (await getJson<Page>(prev!)).body;
    expect(last.numberReturned).toBeGreaterThan(0);
    expect(last.features.map((f) => f.id)).toEqual(all.features.slice(-last.numberReturned).map((f) => f.id));
  });

  it('clamps a limit above the maximum', async () => {
    const body = await page('transects', '?limit=99999999');
    expect(body.numberReturned).toBe(Math.min(counts.transects!, LIMIT_MAX));
    expect(new URL(linkHref(body, 'self')!).searchParams.get('limit')).toBe(String(LIMIT_MAX));
  });

  it('filters by bbox: the features that intersect it, no more', async () => {
    const all = await page('transects', '?limit=1000');
    const [w, s, e, n] = [104.7, 8.64, 104.8, 8.66];
    const { rows } = await env.db.knex.raw<{ rows: { id: number }[] }>(
      'SELECT id FROM transects WHERE ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326)) ORDER BY id',
      [w, s, e, n],
    );
    const body = await page('transects', `?limit=1000&bbox=${w},${s},${e},${n}`);
    expect(body.features.map((f) => f.id)).toEqual(rows.map((r) => r.id));
    expect(body.numberMatched).toBeGreaterThan(0);
    expect(body.numberMatched).toBeLessThan(all.numberMatched);
    for (const f of body.features) {
      const [fw, fs, fe, fn] = boxOf(f.geometry);
      expect(fw <= e && fe >= w && fs <= n && fn >= s).toBe(true);
    }
    const nowhere = await page('transects', '?bbox=0,0,1,1');
    expect(nowhere).toMatchObject({ numberMatched: 0, numberReturned: 0, features: [] });
  });

  it('filters by datetime: a date, a date-time on that day, and open and closed intervals', async () => {
    const all = (await page('shorelines')).features;
    const dates = all.map((f) => String(f.properties.date));
    const [d0, d1, d2] = dates as [string, string, string];
    const dated = async (q: string) =>
      (await page('shorelines', `?datetime=${encodeURIComponent(q)}`)).features;
    expect((await dated(d1)).map((f) => f.properties.date)).toEqual([d1]);
    expect((await dated(`${d1}T12:00:00+07:00`)).map((f) => f.properties.date)).toEqual([d1]);
    expect((await dated(`${d1}/..`)).map((f) => f.properties.date)).toEqual(dates.slice(1));
    expect((await dated(`../${d1}`)).map((f) => f.properties.date)).toEqual([d0, d1]);
    expect((await dated(`${d1}/${d2}`)).map((f) => f.properties.date)).toEqual([d1, d2]);
    expect(await dated('1990-01-01/1999-12-31')).toEqual([]);
    // Change polygons are periods: an instant inside a period matches it.
    const { rows } = await env.db.knex.raw<{ rows: { n: number }[] }>(
      'SELECT count(*)::integer AS n FROM change_polygons WHERE period_start <= ?::date AND period_end >= ?::date',
      [d1, d1],
    );
    expect((await page('change', `?datetime=${d1}`)).numberMatched).toBe(rows[0]!.n);
  });

  it('filters by properties of each collection', async () => {
    const year = FIXTURE_YEARS[2];
    const shorelines = await page('shorelines', `?year=${year}`);
    expect(shorelines.features.map((f) => f.properties.year)).toEqual([year]);

    const { rows } = await env.db.knex.raw<{ rows: { rate_class: string; n: number }[] }>(
      'SELECT rate_class, count(*)::integer AS n FROM transect_stats GROUP BY rate_class',
    );
    for (const { rate_class, n } of rows) {
      const body = await page('transects', `?limit=1000&rate_class=${rate_class}`);
      expect(body.numberMatched).toBe(n);
      for (const f of body.features) expect(f.properties.rate_class).toBe(rate_class);
    }
    const bands = await page('forecasts', '?kind=band');
    expect(bands.numberMatched).toBeGreaterThan(0);
    for (const f of bands.features) expect(f.geometry?.type).toBe('MultiPolygon');
    const accretion = await page('change', '?kind=accretion&period_kind=total');
    for (const f of accretion.features)
      expect(f.properties).toMatchObject({ kind: 'accretion', period_kind: 'total' });
    expect(
      (await page('hazard', '?horizon_years=10')).features.map((f) => f.properties.horizon_years),
    ).toEqual([10]);
    expect((await page('zones', `?risk_class=${ASSESSED_RISK}`)).numberMatched).toBe(2);
    expect((await page('zones', `?site=${FIXTURE_SLUG}`)).numberMatched).toBe(counts.zones);
    expect((await page('shorelines', `?site=${EMPTY_SLUG}`)).numberMatched).toBe(0);
    const site = await page('sites', `?slug=${EMPTY_SLUG}`);
    expect(site.features).toEqual([expect.objectContaining({ id: env.seeded.emptySite.id, geometry: null })]);
  });

  it('serves single features by id, equal to the same feature in the items', async () => {
    for (const id of COLLECTION_IDS) {
      const feature = (await page(id, '?limit=1')).features[0]!;
      const res = await fetch(`${items(id)}/${feature.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/geo+json');
      const single = (await res.json()) as GeoJsonFeature;
      expect({ ...single, links: undefined }).toEqual({ ...feature, links: undefined });
      expect(linkHref({ links: single.links ?? [] }, 'self')).toBe(`${items(id)}/${feature.id}`);
    }
  });

  it('answers 404 problems for an unknown collection or feature', async () => {
    await expectProblem(`${env.ogcUrl}/collections/beaches`, 404);
    await expectProblem(items('beaches'), 404);
    await expectProblem(`${items('shorelines')}/999999`, 404);
    await expectProblem(`${items('shorelines')}/abc`, 404);
    await expectProblem(`${items('shorelines')}/1.5`, 404);
  });

  it('answers 400 problems naming each bad parameter, and changes nothing', async () => {
    const before = await tableCounts(env.db);
    const bad: [string, string][] = [
      ['shorelines', 'foo=bar'],
      ['shorelines', 'bbox=1,2,3'],
      ['shorelines', 'bbox=0,10,1,5'],
      ['shorelines', 'limit=0'],
      ['shorelines', 'limit=-1'],
      ['shorelines', 'limit=ten'],
      ['shorelines', 'datetime=2020-02-30'],
      ['shorelines', 'datetime=2021-01-01/2020-01-01'],
      // Year 0 (and a year-1 time whose offset moves it there) is valid ISO 8601 but not a PostgreSQL date.
      ['shorelines', 'datetime=0000-01-01'],
      ['zones', 'datetime=0000-01-01T00:00:00Z'],
      ['transects', 'datetime=0000-01-01/..'],
      ['shorelines', 'datetime=0001-01-01T00:00:00%2B01:00'],
      ['shorelines', 'year=1800'],
      ['shorelines', 'site=Ca%20Mau'],
      ['transects', 'rate_class=eroding'],
      ['zones', 'farm_type=shrimp%00'],
      ['shorelines', 'after=1&before=5'],
      ['shorelines', 'limit=1&limit=2'],
    ];
    for (const [id, query] of bad) {
      const body = await expectProblem(items(id, `?${query}`), 400);
      expect(body.invalidParams).toEqual([{ name: expect.any(String), reason: expect.any(String) }]);
    }
    for (const path of ['', '/conformance', '/api', '/collections', '/collections/shorelines']) {
      await expectProblem(`${env.ogcUrl}${path}?foo=1`, 400);
    }
    const sqlish = encodeURIComponent("1'; DELETE FROM shorelines; --");
    const names = ['limit', 'bbox', 'datetime', 'after', 'before', 'f', 'site', 'year', 'proxy', 'scene_id'];
    for (const name of names) await expectProblem(items('shorelines', `?${name}=${sqlish}`), 400);
    await expectProblem(`${items('shorelines')}/${sqlish}`, 404);
    expect(await tableCounts(env.db)).toEqual(before);
  });
});
