import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transectSeriesSchema } from '../api/openapi/schemas.ts';
import { transectSeriesJson } from '../api/routes/transects.ts';
import { coastModelForScene, writeSceneFile } from '../fixtures/generate-scene.ts';
import { lonLatToUtm } from '../fixtures/utm-projection.ts';
import { listScenes } from '../store/scenes.ts';
import { createSite, setSiteTideSettings } from '../store/sites.ts';
import { getTransectSeries } from '../store/transect-series.ts';
import {
  type ProvisionedTestDatabase,
  provisionTestDatabase,
  type TestDatabase,
} from '../test/support/test-db.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import { analyzeSite } from './analyze-site.ts';
import { ingestScene } from './ingest-scene.ts';

// Issue 7: `analyze` corrects waterlines for the tide (CoastSat) or filters scenes by tide (DEA), stores raw
// and corrected positions, and records per scene whether it was corrected or filtered.
describe('analyze with tide correction and tide filter', () => {
  let provisioned: ProvisionedTestDatabase;
  let db: TestDatabase;
  let pool: ExtractPool;
  let dir: string;
  let siteId: number;
  const slope = 0.002;
  // A 2.5 × 5 km coast: its bends are wider than the 0.2–0.7 km flat, as the correction assumes.
  const spec = {
    sizePx: 256,
    heightPx: 512,
    seed: 5,
    noise: 0.03,
    firstYear: 2016,
    lastYear: 2021,
    mudflat: { tideRangeM: 1, slope },
  };
  const model = coastModelForScene({ ...spec, year: 2016 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-analyze-tide-'));
    provisioned = await provisionTestDatabase();
    db = await provisioned.open();
    pool = createExtractPool({ threads: 1 });
    siteId = (await createSite(db.knex, { slug: 'mud', name: 'Mud coast', epsg: 32648 })).id;
    for (const year of model.years) {
      const path = join(dir, `mud-${year}.tif`);
      writeSceneFile({ ...spec, year }, path, model);
      const outcome = await ingestScene(db, 'mud', path, {}, { pool });
      expect(outcome.status).toBe('ingested');
    }
  });
  afterAll(async () => {
    await pool?.destroy();
    await db?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** Median |LRR − true rate| over the stored transects, with the basis the stats were computed on. */
  async function rateError(): Promise<{ median: number; bases: Set<string> }> {
    const rows = (await db.knex.raw(
      `SELECT ts.lrr_m_yr, ts.distance_basis, ST_AsGeoJSON(t.geom) AS geom
       FROM transect_stats ts JOIN transects t ON t.id = ts.transect_id WHERE ts.site_id = ?`,
      [siteId],
    )) as { rows: { lrr_m_yr: number | null; distance_basis: string; geom: string }[] };
    const errors: number[] = [];
    for (const r of rows.rows) {
      if (r.lrr_m_yr === null) continue;
      const coords = JSON.parse(r.geom).coordinates as [number, number][];
      const truth = model.trueRateAlongTransectMPerYr(lonLatToUtm(coords[0]!), lonLatToUtm(coords.at(-1)!));
      if (truth !== null) errors.push(Math.abs(r.lrr_m_yr - truth));
    }
    errors.sort((a, b) => a - b);
    return {
      median: errors[Math.floor(errors.length / 2)]!,
      bases: new Set(rows.rows.map((r) => r.distance_basis)),
    };
  }

  it('corrects every waterline to z_ref, keeping raw and corrected positions, and marks the scenes', async () => {
    await analyzeSite(db, 'mud', { lengthM: 1500 });
    const raw = await rateError();
    expect(raw.bases).toEqual(new Set(['raw']));

    await analyzeSite(db, 'mud', { lengthM: 1500, tideCorrection: { slope, zRefM: 0 } });
    const corrected = await rateError();
    expect(corrected.bases).toEqual(new Set(['tide_corrected']));
    expect(raw.median).toBeGreaterThan(5);
    expect(corrected.median).toBeLessThan(1);

    const scenes = await listScenes(db.knex, siteId);
    const rows = (await db
      .knex('transect_intersections as i')
      .join('scenes as s', 's.id', 'i.scene_id')
      .select('i.distance_m', 'i.corrected_distance_m', 'i.tide_correction_m', 's.tide_height_m')) as {
      distance_m: number;
      corrected_distance_m: number;
      tide_correction_m: number;
      tide_height_m: number;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.tide_correction_m).toBeCloseTo(r.tide_height_m / slope, 6);
      expect(r.corrected_distance_m - r.distance_m).toBeCloseTo(r.tide_correction_m, 6);
    }
    expect(scenes.every((s) => s.tideCorrected && !s.tideFiltered)).toBe(true);

    // The API's series shows raw and corrected positions, each scene's tide, and the method.
    const transect = await db
      .knex('transects')
      .where({ site_id: siteId })
      .orderBy('transect_no')
      .offset(5)
      .first();
    const series = transectSeriesSchema.parse(
      transectSeriesJson((await getTransectSeries(db, transect.id))!),
    );
    expect(series.method).toEqual({ proxy: 'waterline', distanceBasis: 'tide_corrected' });
    expect(series.observations.length).toBeGreaterThan(2);
    for (const o of series.observations) {
      expect(o.tideCorrectionM).toBeCloseTo(o.tideHeightM! / slope, 6);
      expect(o.correctedDistanceM! - o.distanceM).toBeCloseTo(o.tideCorrectionM!, 6);
    }
  });

  it('filters scenes by tide, storing the reason of each skipped scene', async () => {
    const summary = await analyzeSite(db, 'mud', { lengthM: 1500, tideFilterPercent: 50 });
    const scenes = await listScenes(db.knex, siteId);
    const tides = scenes.map((s) => s.tideHeightM!);
    const [lo, hi] = [Math.min(...tides), Math.max(...tides)];
    const margin = (hi - lo) / 4;
    for (const s of scenes) {
      const kept = s.tideHeightM! >= lo + margin && s.tideHeightM! <= hi - margin;
      expect(s.tideFiltered).toBe(!kept);
      expect(s.tideCorrected).toBe(false);
      if (!kept) expect(s.tideFilterReason).toMatch(/central 50 % of the observed range/);
    }
    expect(summary.excludedShorelines).toBe(scenes.filter((s) => s.tideFiltered).length);
    expect(summary.dates.count).toBe(scenes.length - summary.excludedShorelines);
  });

  it('takes the slope and z_ref from the site when the options give none', async () => {
    await expect(analyzeSite(db, 'mud', { tideCorrection: {} })).rejects.toThrow(
      /tide correction needs a slope: site 'mud' has none/,
    );
    await setSiteTideSettings(db.knex, siteId, { beachSlope: slope, tideReferenceM: 0.1 });
    await analyzeSite(db, 'mud', { lengthM: 1500, tideCorrection: {} });
    const rows = (await db
      .knex('transect_intersections as i')
      .join('scenes as s', 's.id', 'i.scene_id')
      .select('i.tide_correction_m', 's.tide_height_m')) as {
      tide_correction_m: number;
      tide_height_m: number;
    }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.tide_correction_m).toBeCloseTo((r.tide_height_m - 0.1) / slope, 6);
    const analysis = await db.knex('analyses').where({ site_id: siteId }).first();
    expect(analysis.params.tide.correction).toEqual({ slope, z_ref_m: 0.1 });
    expect(analysis.params.proxy).toBe('waterline');
    await expect(setSiteTideSettings(db.knex, siteId, { beachSlope: -1 })).rejects.toThrow(/beach slope/);
  });

  it('names the scene without a tide when a correction is asked for, and keeps the previous analysis', async () => {
    const [first] = await listScenes(db.knex, siteId);
    await db.knex('scenes').where({ id: first!.id }).update({ tide_height_m: null });
    const before = await db.knex('analyses').where({ site_id: siteId }).first();
    await expect(analyzeSite(db, 'mud', { tideCorrection: { slope, zRefM: 0 } })).rejects.toThrow(
      new RegExp(`no tide height: ${first!.fileName}`),
    );
    expect(await db.knex('analyses').where({ site_id: siteId }).first()).toEqual(before);
  });

  it.each([
    [{ tideCorrection: { slope: 0, zRefM: 0 } }, /slope/],
    [{ tideFilterPercent: 0 }, /tide filter percentage/],
    [{ proxy: 'vegetation' as const, tideFilterPercent: 50 }, /apply to waterlines/],
    [{ proxy: 'tideline' as unknown as 'waterline' }, /proxy must be waterline or vegetation/],
  ])('rejects %j', async (options, message) => {
    await expect(analyzeSite(db, 'mud', options)).rejects.toThrow(message);
  });
});
