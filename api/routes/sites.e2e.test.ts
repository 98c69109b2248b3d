import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSite } from '../../services/analyze-site.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import { createSite } from '../../store/sites.ts';
import {
  bearer,
  expectProblem,
  newKey,
  type RestTestServer,
  startRestTestServer,
  storedCounts,
} from '../../test/support/rest-api-server.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';
import { siteDetailSchema, siteListSchema, transectSeriesSchema } from '../openapi/schemas.ts';

const YEARS = [2016, 2017, 2018, 2019, 2020];
const SPACING_M = 100;
const scenePath = (year: number) =>
  fileURLToPath(new URL(`../../fixtures/scenes/ca-mau-${year}.tif`, import.meta.url));

/** Ordinary least squares of y on x (the LRR definition), computed here from the served observations. */
function ols(xs: number[], ys: number[]): { slope: number; intercept: number } {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

describe('sites and transect series over HTTP (analysed fixture site)', () => {
  let db: TestDatabase;
  let server: RestTestServer;
  let analyst: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    await createSite(db.knex, { slug: 'empty-site', name: 'Nothing yet', epsg: 32648 });
    const pool = createExtractPool({ threads: 2 });
    try {
      for (const year of YEARS) {
        const outcome = await ingestScene(db, 'ca-mau', scenePath(year), {}, { pool });
        expect(outcome.status).toBe('ingested');
      }
    } finally {
      await pool.destroy();
    }
    await analyzeSite(db, 'ca-mau', { spacingM: SPACING_M });
    analyst = await newKey(db, 'analyst');
    server = await startRestTestServer(db, { publicReads: true });
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  const getJson = async (path: string) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return res.json();
  };

  it('lists sites with scene count, shoreline years and extent', async () => {
    const { sites } = siteListSchema.parse(await getJson('/api/sites'));
    expect(sites.map((s) => s.slug)).toEqual(['ca-mau', 'empty-site']);
    const [camau, empty] = sites as [(typeof sites)[0], (typeof sites)[0]];
    expect(camau).toMatchObject({ name: 'Ca Mau', epsg: 32648, sceneCount: YEARS.length, years: YEARS });
    const { rows } = await db.knex.raw<{ rows: { w: number; s: number; e: number; n: number }[] }>(
      `SELECT ST_XMin(b) AS w, ST_YMin(b) AS s, ST_XMax(b) AS e, ST_YMax(b) AS n
       FROM (SELECT ST_Extent(geom) AS b FROM shorelines) q`,
    );
    const box = rows[0]!;
    expect(camau.bbox).toEqual([box.w, box.s, box.e, box.n]);
    expect(camau.links.self).toBe('/api/sites/ca-mau');
    expect(empty).toMatchObject({ sceneCount: 0, years: [], bbox: null });
  });

  it("gives a site's latest analysis summary, matching the stored statistics", async () => {
    const site = siteDetailSchema.parse(await getJson('/api/sites/ca-mau'));
    const a = site.analysis!;
    expect(a).not.toBeNull();
    expect(a.newShorelineCount).toBe(0);
    const stats = (await db.knex('transect_stats').select('transect_id', 'lrr_m_yr', 'rate_class')) as {
      transect_id: number;
      lrr_m_yr: number | null;
      rate_class: string | null;
    }[];
    const rates = stats.filter((s) => s.lrr_m_yr !== null);
    const count = (cls: string) => stats.filter((s) => s.rate_class === cls).length;
    expect(a.transectCount).toBe(stats.length);
    expect(a.transectsWithRate).toBe(rates.length);
    expect(a.spacingM).toBe(SPACING_M);
    expect(a.erodingKm).toBeCloseTo(((count('critical_erosion') + count('erosion')) * SPACING_M) / 1000, 9);
    expect(a.accretingKm).toBeCloseTo((count('accretion') * SPACING_M) / 1000, 9);
    expect(a.erodingKm! + a.accretingKm!).toBeGreaterThan(0);
    expect(a.meanLrrMPerYr).toBeCloseTo(rates.reduce((s, r) => s + r.lrr_m_yr!, 0) / rates.length, 9);
    const worst = rates.reduce((w, r) => (r.lrr_m_yr! < w.lrr_m_yr! ? r : w));
    expect(a.worstLrrMPerYr).toBe(worst.lrr_m_yr);
    expect(a.worstTransectId).toBe(worst.transect_id);
    expect(a).toMatchObject({ dateFirst: '2016-03-05', shorelineCount: YEARS.length });

    const empty = siteDetailSchema.parse(await getJson('/api/sites/empty-site'));
    expect(empty.analysis).toBeNull();
  });

  it('serves the worst transect series: positions whose least-squares fit is the LRR, and the forecast ±1σ', async () => {
    const site = siteDetailSchema.parse(await getJson('/api/sites/ca-mau'));
    const id = site.analysis!.worstTransectId!;
    const series = transectSeriesSchema.parse(await getJson(`/api/transects/${id}/series`));
    expect(series.transect).toMatchObject({ id, site: 'ca-mau' });
    expect(series.transect.geometry.type).toBe('LineString');
    const obs = series.observations;
    expect(obs).toHaveLength(series.stats.n);
    expect(obs.length).toBeGreaterThanOrEqual(4);
    expect(obs.map((o) => o.date)).toEqual([...obs.map((o) => o.date)].sort());
    expect(obs.every((o) => o.sceneId !== null && o.uncertaintyM > 0)).toBe(true);

    const fit = ols(
      obs.map((o) => o.decimalYear),
      obs.map((o) => o.distanceM),
    );
    expect(series.lrr!.rateMPerYr).toBeCloseTo(fit.slope, 6);
    expect(series.lrr!.interceptM).toBeCloseTo(fit.intercept, 2);
    expect(series.lrr!.rateMPerYr).toBe(site.analysis!.worstLrrMPerYr);
    expect(series.lrr!.ciMPerYr).toBeGreaterThan(0);
    expect(series.wlr).not.toBeNull();
    expect(series.stats.nsmM).toBeCloseTo(obs.at(-1)!.distanceM - obs[0]!.distanceM, 6);

    const last = obs.at(-1)!;
    expect(series.forecast.map((f) => f.horizonYears)).toEqual([10, 20]);
    const [f10, f20] = series.forecast as [(typeof series.forecast)[0], (typeof series.forecast)[0]];
    expect(f10.decimalYear).toBeCloseTo(last.decimalYear + 10, 9);
    expect(f10.date).toBe(`${Number(last.date.slice(0, 4)) + 10}${last.date.slice(4)}`);
    expect(f10.sigmaM).toBeGreaterThan(0);
    expect(f20.sigmaM).toBeGreaterThan(f10.sigmaM);
    // An eroding transect is forecast further landward (smaller distance) as time goes on.
    expect(f20.distanceM).toBeLessThan(f10.distanceM);
  });

  it('rejects bad transect ids, slugs and parameters (400/404) without changing anything', async () => {
    const before = await storedCounts(db);
    for (const id of [
      'abc',
      '0',
      '-1',
      '1.5',
      '1e3',
      "1' OR '1'='1",
      '1; DROP TABLE transects',
      '99999999999',
    ]) {
      await expectProblem(await fetch(`${server.url}/api/transects/${encodeURIComponent(id)}/series`), 400);
    }
    await expectProblem(await fetch(`${server.url}/api/transects/2147483647/series`), 404);
    await expectProblem(await fetch(`${server.url}/api/transects/1/series?from=2016`), 400);
    for (const slug of ['Ca-Mau', 'ca_mau', "ca-mau' OR 1=1 --", '-ca', 'a'.repeat(64)]) {
      await expectProblem(await fetch(`${server.url}/api/sites/${encodeURIComponent(slug)}`), 400);
    }
    await expectProblem(await fetch(`${server.url}/api/sites/nowhere`), 404);
    await expectProblem(await fetch(`${server.url}/api/sites?limit=1`), 400);
    expect(await storedCounts(db)).toEqual(before);
  });

  it('creates a site (analyst), and refuses duplicates, bad CRSs and bad fields without storing anything', async () => {
    const post = (body: unknown, headers: Record<string, string> = bearer(analyst)) =>
      fetch(`${server.url}/api/sites`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const name = "Bạc Liêu'); DROP TABLE sites; --";
    const res = await post({ slug: 'bac-lieu', name, epsg: 32648 });
    expect(res.status).toBe(201);
    const created = siteDetailSchema.parse(await res.json());
    expect(created).toMatchObject({ slug: 'bac-lieu', name, sceneCount: 0, analysis: null });
    expect(siteDetailSchema.parse(await getJson('/api/sites/bac-lieu')).name).toBe(name);

    const before = await storedCounts(db);
    await expectProblem(await post({ slug: 'bac-lieu', name: 'again', epsg: 32648 }), 409);
    const geographic = await expectProblem(await post({ slug: 'geo', name: 'Geo', epsg: 4326 }), 400);
    expect(geographic.detail).toMatch(/4326/);
    await expectProblem(await post({ slug: 'nope', name: 'Nope', epsg: 999999 }), 400);
    await expectProblem(await post({ slug: 'Bad Slug', name: 'x', epsg: 32648 }), 400);
    await expectProblem(await post({ slug: 'x', name: 'x', epsg: '32648' }), 400);
    await expectProblem(await post({ slug: 'x', name: 'x', epsg: 32648, aoi: null }), 400);
    await expectProblem(await post({ slug: 'x', name: 'x', epsg: 32648, shorelineProxy: 'cliff' }), 400);
    const nul = await expectProblem(await post({ slug: 'x', name: 'T\u0000x', epsg: 32648 }), 400);
    expect(nul.invalidParams).toEqual([{ name: 'name', reason: expect.stringMatching(/NUL/) }]);
    await expectProblem(await post({ slug: 'x', name: 'x', epsg: 32648 }, {}), 401);
    expect(await storedCounts(db)).toEqual(before);
  });

  it('says how many shorelines were stored since the analysis, until the site is analysed again', async () => {
    const newCount = async () =>
      siteDetailSchema.parse(await getJson('/api/sites/ca-mau')).analysis!.newShorelineCount;
    const pool = createExtractPool({ threads: 1 });
    try {
      for (const year of [2021, 2022]) {
        expect((await ingestScene(db, 'ca-mau', scenePath(year), {}, { pool })).status).toBe('ingested');
      }
    } finally {
      await pool.destroy();
    }
    expect(await newCount()).toBe(2);
    // An analysis made before analyses recorded their inputs: not known, rather than a wrong 0.
    const { id } = (await db.knex('analyses').select('id').first()) as { id: number };
    const recorded = await db.knex.raw<{ rows: { ids: number[] }[] }>(
      'SELECT shoreline_ids AS ids FROM analyses WHERE id = ?',
      [id],
    );
    expect(recorded.rows[0]!.ids).toHaveLength(YEARS.length);
    await db.knex('analyses').where({ id }).update({ shoreline_ids: null });
    expect(await newCount()).toBeNull();
    await analyzeSite(db, 'ca-mau', { spacingM: SPACING_M });
    expect(await newCount()).toBe(0);
  });
});
