import { createHash } from 'node:crypto';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeCommand } from '../cli/commands/analyze.ts';
import { runCli } from '../cli/run-cli.ts';
import { TidemarkError } from '../common/errors.ts';
import { CoastModel } from '../fixtures/coast-model.ts';
import { sceneTruth } from '../fixtures/generate-scene.ts';
import { createProjector } from '../pipeline/dsas/metric-crs.ts';
import type { AnalysisCounts } from '../store/analysis.ts';
import {
  countAnalysisRows,
  getSiteAnalysis,
  listChangePolygons,
  listForecasts,
  listTransectObservations,
  listTransectResults,
} from '../store/analysis-reads.ts';
import { insertScene } from '../store/scenes.ts';
import { insertShorelines, type LineFeature } from '../store/shorelines.ts';
import { createSite, getDataVersion, type Site } from '../store/sites.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { analyzeSite } from './analyze-site.ts';

// The fixture series' exact shorelines (10 yearly scenes of a 10 km Ca Mau-like coast, sea to the west,
// rates −45…+90 m/yr), stored as ingest stores them: one scene per year, its line in EPSG:4326.
const model = new CoastModel({ seed: 7, widthPx: 1024 });
const SLUG = 'fixture-coast';
const OPTIONS = { spacingM: 100 };
// Only a server has more than one connection: PGlite is one session, where nothing can interleave.
const onServer = inject('tidemarkServerTemplate') !== null;

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TidemarkError);
  expect((err as TidemarkError).code).toBe(code);
  expect((err as TidemarkError).message).toMatch(message);
}

describe('analyzeSite on the fixture series', () => {
  let db: TestDatabase;
  let site: Site;
  const sceneIds: number[] = [];

  /** Everything that identifies the stored analysis: its id, its rows' ids, counts and data version. */
  async function snapshot(reader = db.knex) {
    const analysis = await getSiteAnalysis(reader, site.id);
    const transectIds = (await reader('transects')
      .where('site_id', site.id)
      .orderBy('id')
      .pluck('id')) as number[];
    return {
      analysisId: analysis?.id ?? null,
      transectIds,
      counts: await countAnalysisRows(reader, site.id),
      dataVersion: await getDataVersion(reader, SLUG),
    };
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    site = await createSite(db.knex, { slug: SLUG, name: 'Fixture coast', epsg: 32648 });
    for (const year of model.years) {
      const truth = sceneTruth(model, year);
      const sceneId = await insertScene(db.knex, {
        siteId: site.id,
        sha256: createHash('sha256').update(`fixture-${year}`).digest('hex'),
        fileName: `fixture-${year}.tif`,
        acquiredAt: truth.date,
        epsg: 32648,
        width: model.spec.widthPx,
        height: model.spec.heightPx,
      });
      sceneIds.push(sceneId);
      await insertShorelines(db.knex, {
        siteId: site.id,
        sceneId,
        date: truth.date,
        features: truth.truth.features as unknown as LineFeature[],
      });
    }
  });
  afterAll(async () => {
    await db?.dispose();
  });

  let first: Awaited<ReturnType<typeof snapshot>>;

  it('stores transects, their statistics and every intersection', async () => {
    const versionBefore = Number(await getDataVersion(db.knex, SLUG));
    const stages: string[] = [];
    const summary = await analyzeSite(db, SLUG, OPTIONS, { onProgress: (p) => stages.push(p.stage) });
    expect(stages).toEqual(['load', 'compute', 'write', 'done']);
    expect(summary.dates).toEqual({
      count: model.years.length,
      first: model.acquisitionDate(model.years[0]!),
      last: model.acquisitionDate(model.years.at(-1)!),
    });
    expect(summary.warnings).toEqual([]);
    expect(summary.dataVersion).toBeGreaterThan(versionBefore);

    const counts = await countAnalysisRows(db.knex, site.id);
    expect(counts).toEqual(summary.counts);
    expect(counts.analyses).toBe(1);
    // A transect every 100 m along a ~10 km coast.
    expect(counts.transects).toBeGreaterThan(95);
    expect(counts.transectStats).toBe(counts.transects);

    const transects = await listTransectResults(db, site.id);
    expect(transects.map((t) => t.transectNo)).toEqual(transects.map((_, i) => i + 1));
    expect(counts.intersections).toBe(transects.reduce((n, t) => n + t.stats.n, 0));

    // The stored rates are the coast's true rates, measured along the stored transects (in the site CRS).
    const utm = createProjector(32648);
    let compared = 0;
    for (const t of transects) {
      const [a, b] = (t.geometry.coordinates as [number, number][]).map((p) => utm.fromLonLat(p));
      const truth = model.trueRateAlongTransectMPerYr(a!, b!, { includeTide: true });
      if (truth === null) continue;
      expect(t.stats.n).toBe(model.years.length);
      expect(Math.abs(t.stats.lrr_m_yr! - truth)).toBeLessThan(0.01);
      expect(t.stats.confidence_pct).toBe(90);
      expect(t.stats.date_first).toBe(summary.dates.first);
      expect(t.stats.forecast_10y_m).not.toBeNull();
      compared++;
    }
    expect(compared).toBeGreaterThan(0.9 * transects.length);

    const observations = await listTransectObservations(db, site.id, transects[10]!.transectNo);
    expect(observations.map((o) => o.date)).toEqual(model.years.map((y) => model.acquisitionDate(y)));
    expect(observations.map((o) => o.sceneId)).toEqual(sceneIds);
    first = await snapshot();
  });

  it('stores valid change polygons whose area_m2 matches PostGIS ST_Area in the site CRS to 0.1 %', async () => {
    const { rows } = await db.knex.raw<{
      rows: { valid: boolean; area_m2: number; st_area: number; period_kind: string }[];
    }>(
      `SELECT ST_IsValid(c.geom) AS valid, c.area_m2, ST_Area(ST_Transform(c.geom, s.epsg)) AS st_area, c.period_kind
       FROM change_polygons c JOIN sites s ON s.id = c.site_id WHERE c.site_id = ?`,
      [site.id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2 * model.years.length);
    for (const r of rows) {
      expect(r.valid).toBe(true);
      expect(r.area_m2).toBeGreaterThan(0);
      expect(Math.abs(r.area_m2 - r.st_area) / r.st_area).toBeLessThan(0.001);
    }
    const polygons = await listChangePolygons(db, site.id, { periodKind: 'consecutive' });
    const periods = new Set(polygons.map((p) => `${p.periodStart}/${p.periodEnd}`));
    expect(periods.size).toBe(model.years.length - 1);

    // First → last: the areas are the exact areas between the model's first and last shorelines.
    const [y0, y1] = [model.years[0]!, model.years.at(-1)!];
    let erosion = 0;
    let accretion = 0;
    const steps = 20_000;
    const dy = model.heightM / steps;
    for (let k = 0; k < steps; k++) {
      const y = model.originYM - (k + 0.5) * dy;
      // The sea is west: a shoreline moving east (landward) is erosion.
      const dx = model.sceneShorelineXM(y, y1) - model.sceneShorelineXM(y, y0);
      if (dx > 0) erosion += dx * dy;
      else accretion -= dx * dy;
    }
    const total = await listChangePolygons(db, site.id, { periodKind: 'total' });
    const sum = (kind: string) => total.filter((p) => p.kind === kind).reduce((a, p) => a + p.areaM2, 0);
    expect(Math.abs(sum('erosion') - erosion) / erosion).toBeLessThan(0.001);
    expect(Math.abs(sum('accretion') - accretion) / accretion).toBeLessThan(0.001);
  });

  it('stores forecast lines, ±1σ bands and hazard zones for 10 and 20 years', async () => {
    const forecasts = await listForecasts(db, site.id);
    expect(forecasts.map((f) => f.horizonYears)).toEqual([10, 20]);
    const lastYear = Number(model.acquisitionDate(model.years.at(-1)!).slice(0, 4));
    for (const f of forecasts) {
      expect(f.forecastDate.slice(0, 4)).toBe(String(lastYear + f.horizonYears));
      expect(f.line?.type).toBe('MultiLineString');
      expect(f.band?.type).toBe('MultiPolygon');
      expect(f.hazard?.areaM2).toBeGreaterThan(0);
      expect(f.sigmaMeanM).toBeGreaterThan(0);
    }
    // Uncertainty grows with the horizon, and so does the land at risk.
    expect(forecasts[1]!.sigmaMeanM!).toBeGreaterThan(forecasts[0]!.sigmaMeanM!);
    expect(forecasts[1]!.hazard!.areaM2).toBeGreaterThan(forecasts[0]!.hazard!.areaM2);
    const { rows } = await db.knex.raw<{ rows: { ok: boolean; rel: number }[] }>(
      `SELECT ST_IsValid(f.band_geom) AND ST_IsValid(h.geom) AND ST_IsValid(f.line_geom) AS ok,
              abs(h.area_m2 - ST_Area(ST_Transform(h.geom, s.epsg))) / h.area_m2 AS rel
       FROM forecasts f JOIN hazard_zones h ON h.forecast_id = f.id JOIN sites s ON s.id = f.site_id
       WHERE f.site_id = ?`,
      [site.id],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.ok).toBe(true);
      expect(r.rel).toBeLessThan(0.001);
    }
  });

  it('replaces the previous analysis when re-run: same counts, new ids, no duplicates', async () => {
    await analyzeSite(db, SLUG, OPTIONS);
    const second = await snapshot();
    expect(second.counts).toEqual(first.counts);
    expect(second.analysisId).not.toBe(first.analysisId);
    expect(second.transectIds.filter((id) => first.transectIds.includes(id))).toEqual([]);
    expect(Number(second.dataVersion)).toBeGreaterThan(Number(first.dataVersion));
    const { rows } = await db.knex.raw<{ rows: unknown[] }>(
      'SELECT transect_no FROM transects WHERE site_id = ? GROUP BY transect_no HAVING count(*) > 1',
      [site.id],
    );
    expect(rows).toEqual([]);
    first = second;
  });

  it.skipIf(!onServer)(
    'lets a concurrent reader see only the old analysis until the new one commits',
    async () => {
      const before = await snapshot();
      let during: Awaited<ReturnType<typeof snapshot>> | null = null;
      // The hook runs inside the writing transaction, after every row is written: read from another
      // connection of the pool while the transaction is held open.
      await analyzeSite(db, SLUG, OPTIONS, {
        beforeCommit: async () => {
          during = await snapshot(db.knex);
        },
      });
      expect(during).toEqual(before);
      const after = await snapshot();
      expect(after.analysisId).not.toBe(before.analysisId);
      expect(after.counts).toEqual(before.counts);
      first = after;
    },
  );

  it('leaves the previous analysis in place when a run fails before committing', async () => {
    const before = await snapshot();
    await expect(
      analyzeSite(db, SLUG, OPTIONS, {
        beforeCommit: async () => {
          throw new TidemarkError('ABORTED', 'stopped at the last moment');
        },
      }),
    ).rejects.toThrow(/stopped at the last moment/);
    expect(await snapshot()).toEqual(before);
  });

  describe('bad input fails with a clear error and changes nothing', () => {
    const straightBaseline = () => {
      const utm = createProjector(32648);
      const x = model.originXM + 0.9 * model.widthM;
      return [
        [x, model.originYM - model.heightM + 100],
        [x, model.originYM - 100],
      ].map((p) => utm.toLonLat(p as [number, number]));
    };
    const cases: [string, () => Promise<unknown>, string, RegExp][] = [
      [
        'an unknown site',
        () => analyzeSite(db, 'nowhere', OPTIONS),
        'NOT_FOUND',
        /unknown site 'nowhere' \(known sites: .*fixture-coast/,
      ],
      ['a negative spacing', () => analyzeSite(db, SLUG, { spacingM: -50 }), 'INVALID_INPUT', /spacing/],
      [
        'a confidence in percent',
        () => analyzeSite(db, SLUG, { confidence: 90 }),
        'INVALID_INPUT',
        /confidence must be a fraction/,
      ],
      [
        'a baseline that is not a line',
        () => analyzeSite(db, SLUG, { baseline: { type: 'Point', coordinates: [104.8, 8.6] } }),
        'INVALID_INPUT',
        /must be a LineString or MultiLineString, found Point/,
      ],
      [
        'a baseline in another CRS than it declares',
        () =>
          analyzeSite(db, SLUG, {
            baselineSource: 'b.geojson',
            baseline: {
              type: 'FeatureCollection',
              crs: { type: 'name', properties: { name: 'EPSG:32648' } },
              features: [
                {
                  type: 'Feature',
                  properties: {},
                  geometry: { type: 'LineString', coordinates: straightBaseline() },
                },
              ],
            },
          }),
        'INVALID_INPUT',
        /b\.geojson: the file declares EPSG:32648 \(metres\) but its coordinates look like longitude\/latitude/,
      ],
      [
        'a baseline in a CRS PostGIS does not know',
        () =>
          analyzeSite(db, SLUG, {
            baseline: {
              type: 'LineString',
              crs: { type: 'name', properties: { name: 'EPSG:999999' } },
              coordinates: [
                [500000, 950000],
                [500000, 955000],
              ],
            },
          }),
        'INVALID_INPUT',
        /EPSG:999999 is not a CRS known to PostGIS/,
      ],
      [
        'a baseline far from every shoreline',
        () =>
          analyzeSite(db, SLUG, {
            baseline: {
              type: 'LineString',
              coordinates: [
                [106.5, 10.0],
                [106.5, 10.1],
              ],
            },
          }),
        'INVALID_INPUT',
        /no shoreline lies within 2000 m of the baseline/,
      ],
    ];
    for (const [name, run, code, message] of cases) {
      it(`rejects ${name}`, async () => {
        const before = await snapshot();
        await rejects(run(), code, message);
        expect(await snapshot()).toEqual(before);
      });
    }

    it('rejects a site with shorelines of fewer than 2 dates', async () => {
      const lonely = await createSite(db.knex, { slug: 'lonely', name: 'Lonely', epsg: 32648 });
      const truth = sceneTruth(model, model.years[0]!);
      await insertShorelines(db.knex, {
        siteId: lonely.id,
        sceneId: null,
        date: truth.date,
        features: truth.truth.features as unknown as LineFeature[],
      });
      await rejects(analyzeSite(db, 'lonely', OPTIONS), 'INVALID_INPUT', /has shorelines of 1 date\(s\)/);
      expect((await countAnalysisRows(db.knex, lonely.id)).analyses).toBe(0);
    });
  });

  it('leaves the shorelines of rejected scenes out', async () => {
    const rejected = sceneIds[4]!;
    await db.knex('scenes').where('id', rejected).update({ review_status: 'rejected' });
    try {
      const summary = await analyzeSite(db, SLUG, OPTIONS);
      expect(summary.dates.count).toBe(model.years.length - 1);
      expect(summary.excludedShorelines).toBe(1);
      const used = await db
        .knex('transect_intersections')
        .where('scene_id', rejected)
        .count({ n: '*' })
        .first();
      expect(Number((used as { n: number }).n)).toBe(0);
    } finally {
      await db.knex('scenes').where('id', rejected).update({ review_status: 'unreviewed' });
    }
  });

  it('uses a supplied baseline (EPSG:4326 GeoJSON) and records it', async () => {
    const x = model.originXM + 0.62 * model.widthM;
    const utm = createProjector(32648);
    const coordinates = [
      [x, model.originYM - 200],
      [x, model.originYM - model.heightM + 200],
    ].map((p) => utm.toLonLat(p as [number, number]));
    const summary = await analyzeSite(db, SLUG, {
      ...OPTIONS,
      baseline: { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } },
    });
    expect(summary.baseline).toBe('supplied');
    const { rows } = await db.knex.raw<{ rows: { source: string; length_m: number }[] }>(
      'SELECT source, ST_Length(ST_Transform(geom, 32648)) AS length_m FROM baselines WHERE site_id = ?',
      [site.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source).toBe('supplied');
    expect(Math.abs(rows[0]!.length_m - (model.heightM - 400))).toBeLessThan(0.01);
    // Transects every 100 m along the 9.84 km baseline.
    expect(summary.counts.transects).toBe(Math.floor((model.heightM - 400) / 100) + 1);
  });

  it.skipIf(!onServer)(
    'runs as `tidemark analyze` and fails with exit code 1 on an unknown site',
    async () => {
      const program = () => new Command('tidemark').addCommand(analyzeCommand());
      const saved = { url: process.env.DATABASE_URL, write: process.stdout.write, err: process.stderr.write };
      let out = '';
      let err = '';
      process.env.DATABASE_URL = db.url;
      process.stdout.write = ((s: string) => {
        out += s;
        return true;
      }) as typeof process.stdout.write;
      process.stderr.write = ((s: string) => {
        err += s;
        return true;
      }) as typeof process.stderr.write;
      let ok: number;
      let bad: number;
      try {
        ok = await runCli(program(), ['node', 'tidemark', 'analyze', '--site', SLUG, '--spacing', '200']);
        bad = await runCli(program(), ['node', 'tidemark', 'analyze', '--site', 'nowhere']);
      } finally {
        process.env.DATABASE_URL = saved.url;
        process.stdout.write = saved.write;
        process.stderr.write = saved.err;
        process.exitCode = undefined;
      }
      expect(ok).toBe(0);
      expect(out).toMatch(/^analysed fixture-coast: 10 dates .* generated baseline, \d+ transects/);
      expect(err).toMatch(/^load: 10 shoreline dates/m);
      expect(bad).toBe(1);
      expect(err).toMatch(/error: unknown site 'nowhere'/);
      const counts: AnalysisCounts = await countAnalysisRows(db.knex, site.id);
      expect(counts.transects).toBeLessThan(first.counts.transects);
    },
  );
});
