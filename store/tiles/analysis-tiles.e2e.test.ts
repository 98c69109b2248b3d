import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import {
  type AnalysedFixtureSite,
  ASSESSED_ZONES,
  FIXTURE_RISK_CLASSES,
  FIXTURE_YEARS,
  seedAnalysedFixtureSite,
} from '../../test/support/analysed-fixture-site.ts';
import {
  type DecodedFeature,
  decodeTile,
  geometryDistance,
  tileForLonLat,
} from '../../test/support/decode-tile.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { meanBoundaryOffset, polygonKinks, polygonsOf } from '../../test/support/tile-polygons.ts';
import { listChangePolygons, listForecasts, listTransectResults } from '../analysis-reads.ts';
import { getDataExtent } from '../shorelines.ts';
import { createSite } from '../sites.ts';
import { getChangeTile } from './change-tile.ts';
import { getForecastTile } from './forecast-tile.ts';
import { getHazardTile } from './hazard-tile.ts';
import { type AnalysisLayerId, getLayerExtent } from './layer-extent.ts';
import { LAYER_TILE_QUERIES } from './layer-tile-queries.ts';
import type { TileEncoder } from './render-vector-tile.ts';
import { getShorelineTile } from './shoreline-tile.ts';
import type { TileCoords } from './tile-coords.ts';
import type { SiteYearTileFilter } from './tile-filter.ts';
import { getTransectTile } from './transect-tile.ts';
import { VECTOR_LAYERS } from './vector-layers.ts';
import { getZoneTile } from './zone-tile.ts';

type GetTile = (
  db: TestDatabase,
  params: TileCoords & SiteYearTileFilter,
  opts?: { encoder?: TileEncoder },
) => Promise<Uint8Array | null>;

const GETTERS: Record<string, GetTile> = {
  shorelines: getShorelineTile,
  change: getChangeTile,
  transects: getTransectTile,
  forecasts: getForecastTile,
  hazard: getHazardTile,
  zones: getZoneTile,
};
const ANALYSIS_LAYERS: AnalysisLayerId[] = ['change', 'transects', 'forecasts', 'hazard', 'zones'];
const SITE = 'ca-mau';

/** Every tile at zoom z that covers the bounds. */
function tilesOver(bounds: [number, number, number, number], z: number): TileCoords[] {
  const [w, s, e, n] = bounds;
  const a = tileForLonLat(w, n, z);
  const b = tileForLonLat(e, s, z);
  const out: TileCoords[] = [];
  for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) out.push({ z, x, y });
  return out;
}

/** Every feature of the layer over its whole extent at zoom z, by feature id (the first tile's copy). */
async function featuresAt(
  db: TestDatabase,
  layer: AnalysisLayerId,
  z: number,
  filter: SiteYearTileFilter = {},
): Promise<Map<number, DecodedFeature>> {
  const extent = await getLayerExtent(db, layer);
  expect(extent, `${layer} has data`).not.toBeNull();
  const byId = new Map<number, DecodedFeature>();
  for (const tile of tilesOver(extent!.bounds, z)) {
    const bytes = await GETTERS[layer]!(db, { ...tile, ...filter });
    if (!bytes) continue;
    const layers = decodeTile(bytes);
    expect(Object.keys(layers)).toEqual([layer]);
    for (const f of layers[layer]!) {
      expect(Number.isInteger(f.id), `${layer} feature ids are integers`).toBe(true);
      if (!byId.has(f.id!)) byId.set(f.id!, f);
    }
  }
  return byId;
}

/** The value a tile carries for a stored value: MVT has no null (the key is left out). */
const present = (entries: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== null && v !== undefined));

describe('analysis layer tiles on an analysed fixture site', () => {
  let db: TestDatabase;
  let seeded: AnalysedFixtureSite;

  beforeAll(async () => {
    db = await openTestDatabase();
    seeded = await seedAnalysedFixtureSite(db, { slug: SITE });
    await createSite(db.knex, { slug: 'empty-site', name: 'No data yet', epsg: 32648 });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('change: erosion and accretion polygons with their stored fields', async () => {
    const records = await listChangePolygons(db, seeded.site.id);
    expect(records.length).toBeGreaterThan(0);
    const features = await featuresAt(db, 'change', 15);
    for (const [id, f] of features) {
      const r = records.find((c) => c.id === id);
      expect(r, `feature ${id} is a stored change polygon`).toBeDefined();
      expect(f.type).toBe(3);
      expect(f.properties).toEqual({
        id: r!.id,
        site: SITE,
        kind: r!.kind,
        period_start: r!.periodStart,
        period_end: r!.periodEnd,
        period_kind: r!.periodKind,
        area_m2: r!.areaM2,
      });
    }
    // At z15 a tile unit is 1.2 m: every polygon of more than a few m² shows.
    const visible = records.filter((r) => r.areaM2 > 50).map((r) => r.id);
    expect([...features.keys()]).toEqual(expect.arrayContaining(visible));
  });

  it('change: a year range keeps the periods that lie within it', async () => {
    const records = await listChangePolygons(db, seeded.site.id);
    const [from, to] = [FIXTURE_YEARS[1]!, FIXTURE_YEARS[3]!];
    const within = records.filter(
      (r) => Number(r.periodStart.slice(0, 4)) >= from && Number(r.periodEnd.slice(0, 4)) <= to,
    );
    expect(within.length).toBeGreaterThan(0);
    expect(within.length).toBeLessThan(records.length);
    const features = await featuresAt(db, 'change', 15, { fromYear: from, toYear: to });
    expect(features.size).toBeGreaterThan(0);
    for (const id of features.keys()) expect(within.map((r) => r.id)).toContain(id);
    const total = await featuresAt(db, 'change', 15, { fromYear: FIXTURE_YEARS[0]! });
    expect([...total.values()].some((f) => f.properties.period_kind === 'total')).toBe(true);
  });

  it('transects: lines with their DSAS statistics and rate class', async () => {
    const records = await listTransectResults(db, seeded.site.id);
    const features = await featuresAt(db, 'transects', 14);
    expect([...features.keys()].sort((a, b) => a - b)).toEqual(
      records.map((r) => r.id).sort((a, b) => a - b),
    );
    for (const [id, f] of features) {
      const r = records.find((t) => t.id === id)!;
      expect(f.type).toBe(2);
      expect(f.properties).toEqual(
        present({
          id: r.id,
          site: SITE,
          transect_no: r.transectNo,
          n: r.stats.n,
          nsm_m: r.stats.nsm_m,
          sce_m: r.stats.sce_m,
          epr_m_yr: r.stats.epr_m_yr,
          lrr_m_yr: r.stats.lrr_m_yr,
          lrr_ci_m_yr: r.stats.lrr_ci_m_yr,
          lrr_r2: r.stats.lrr_r2,
          wlr_m_yr: r.stats.wlr_m_yr,
          class: r.stats.rate_class,
        }),
      );
    }
    expect(
      [...features.values()].filter((f) => typeof f.properties.lrr_m_yr === 'number').length,
    ).toBeGreaterThan(records.length / 2);
  });

  it('forecasts: each horizon as a line (id 2n) and its ±1σ band (id 2n + 1)', async () => {
    const records = await listForecasts(db, seeded.site.id);
    expect(records.length).toBeGreaterThan(0);
    const features = await featuresAt(db, 'forecasts', 14);
    const expected = records.flatMap((r) => [
      ...(r.line ? [{ id: 2 * r.id, kind: 'line', type: 2, r }] : []),
      ...(r.band ? [{ id: 2 * r.id + 1, kind: 'band', type: 3, r }] : []),
    ]);
    expect(expected.some((e) => e.kind === 'band')).toBe(true);
    expect([...features.keys()].sort()).toEqual(expected.map((e) => e.id).sort());
    for (const e of expected) {
      const f = features.get(e.id)!;
      expect(f.type).toBe(e.type);
      expect(f.properties).toEqual(
        present({
          forecast_id: e.r.id,
          site: SITE,
          kind: e.kind,
          horizon_years: e.r.horizonYears,
          forecast_date: e.r.forecastDate,
          sigma_mean_m: e.r.sigmaMeanM,
        }),
      );
    }
  });

  it('hazard: one zone per forecast horizon, with its area', async () => {
    const records = (await listForecasts(db, seeded.site.id)).filter((r) => r.hazard !== null);
    expect(records.length).toBeGreaterThan(0);
    const features = [...(await featuresAt(db, 'hazard', 14)).values()];
    expect(features.map((f) => f.properties.horizon_years).sort()).toEqual(
      records.map((r) => r.horizonYears).sort(),
    );
    for (const f of features) {
      const r = records.find((x) => x.horizonYears === f.properties.horizon_years)!;
      expect(f.type).toBe(3);
      expect(f.properties).toEqual({
        id: f.id,
        site: SITE,
        horizon_years: r.horizonYears,
        forecast_date: r.forecastDate,
        area_m2: r.hazard!.areaM2,
      });
    }
  });

  it('zones: every zone, with the risk of the assessed ones only', async () => {
    const features = await featuresAt(db, 'zones', 15);
    expect([...features.keys()].sort((a, b) => a - b)).toEqual(seeded.zoneIds);
    const { rows } = await db.knex.raw<{
      rows: { id: number; name: string; farm_type: string; area_m2: number }[];
    }>('SELECT id, name, farm_type, area_m2 FROM aquaculture_zones ORDER BY id');
    for (const [i, zone] of rows.entries()) {
      const f = features.get(zone.id)!;
      expect(f.type).toBe(3);
      const assessed = i < ASSESSED_ZONES;
      expect(f.properties).toEqual(
        present({
          id: zone.id,
          site: SITE,
          name: zone.name,
          farm_type: zone.farm_type,
          area_m2: zone.area_m2,
          risk_class: assessed ? FIXTURE_RISK_CLASSES[i % FIXTURE_RISK_CLASSES.length] : null,
          distance_to_shoreline_m: assessed ? 50 + 10 * i : null,
          years_to_impact: assessed ? i + 1 : null,
        }),
      );
    }
  });

  it.each(ANALYSIS_LAYERS)('%s: empty where there is nothing, and filtered by site', async (layer) => {
    const get = GETTERS[layer]!;
    expect(await get(db, tileForLonLat(-30, 40, 14))).toBeNull();
    const extent = await getLayerExtent(db, layer, SITE);
    const [w, s, e, n] = extent!.bounds;
    const centre = tileForLonLat((w + e) / 2, (s + n) / 2, 12);
    expect(await get(db, { ...centre, site: SITE })).not.toBeNull();
    expect(await get(db, { ...centre, site: 'empty-site' })).toBeNull();
    expect(await get(db, { ...centre, site: 'nowhere' })).toBeNull();
    expect(await get(db, { ...centre, site: "ca-mau' OR '1'='1" })).toBeNull();
    expect(await getLayerExtent(db, layer, 'empty-site')).toBeNull();
  });

  it.each(ANALYSIS_LAYERS)('%s: filters with the GiST index', async (layer) => {
    const tile = tileForLonLat(104.75, 8.66, 14);
    const q = LAYER_TILE_QUERIES[layer]!(tile, { site: SITE });
    const plan = await db.knex.transaction(async (trx) => {
      // With so few rows a sequential scan is cheaper; forbid it to see whether the index can serve the filter.
      await trx.raw('SET LOCAL enable_seqscan = off');
      const { rows } = await trx.raw<{ rows: Record<string, string>[] }>(`EXPLAIN ${q.sql}`, [...q.bindings]);
      return rows.map((r) => Object.values(r).join(' ')).join('\n');
    });
    const indexes: Record<AnalysisLayerId, RegExp[]> = {
      change: [/change_polygons_geom_gist/],
      transects: [/transects_geom_gist/],
      forecasts: [/forecasts_line_geom_gist/, /forecasts_band_geom_gist/],
      hazard: [/hazard_zones_geom_gist/],
      zones: [/aquaculture_zones_geom_gist/],
    };
    for (const index of indexes[layer]) expect(plan).toMatch(index);
  });

  it.each([
    ['change', { z: 25, x: 0, y: 0 }, /zoom/],
    ['transects', { z: 3, x: 8, y: 0 }, /tile x 8/],
    ['forecasts', { z: 3, x: 0, y: -1 }, /tile y -1/],
    ['hazard', { z: 2.5, x: 0, y: 0 }, /zoom/],
    ['zones', { z: 3, x: 0.5, y: 0 }, /tile x/],
    ['change', { z: 3, x: 0, y: 0, fromYear: 1800 }, /fromYear/],
    ['change', { z: 3, x: 0, y: 0, fromYear: 2020, toYear: 2019 }, /after/],
    ['zones', { z: 3, x: 0, y: 0, site: 42 as unknown as string }, /site/],
  ])('%s: rejects bad tile parameters %j', async (layer, params, message) => {
    const err = await GETTERS[layer]!(db, params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('INVALID_INPUT');
    expect((err as TidemarkError).message).toMatch(message);
  });

  it('caps the features of one tile', async () => {
    const site = await createSite(db.knex, { slug: 'cap-test', name: 'Cap test', epsg: 32648 });
    const cap = VECTOR_LAYERS.zones!.featureCap;
    // cap + 5 small squares, 20 m apart, inside one z12 tile far from the fixture.
    await db.knex.raw(
      `INSERT INTO aquaculture_zones (site_id, name, geom)
       SELECT ?, 'z' || i, ST_Multi(ST_Transform(ST_MakeEnvelope(x, y, x + 10, y + 10, 32648), 4326))
       FROM generate_series(0, ?) AS i,
            LATERAL (SELECT 600000 + (i % 100) * 20 AS x, 1000000 + (i / 100) * 20 AS y) AS p`,
      [site.id, cap + 4],
    );
    const { rows } = await db.knex.raw<{ rows: { lon: number; lat: number }[] }>(
      `SELECT ST_X(c) AS lon, ST_Y(c) AS lat
       FROM (SELECT ST_Centroid(ST_Extent(geom)::geometry) AS c FROM aquaculture_zones WHERE site_id = ?) q`,
      [site.id],
    );
    const bytes = await getZoneTile(db, {
      ...tileForLonLat(rows[0]!.lon, rows[0]!.lat, 12),
      site: 'cap-test',
    });
    expect(decodeTile(bytes!).zones).toHaveLength(cap);
  });
});

// ST_AsMVT needs a server PostGIS built with protobuf; the embedded PGlite has none.
const onServer = inject('tidemarkServerTemplate') !== null;
if (!onServer)
  process.stderr.write('[tidemark] no DATABASE_URL: the ST_AsMVT vs JS encoder comparison is SKIPPED\n');

describe.skipIf(!onServer)('every layer: ST_AsMVT and the JS encoder decode to the same features', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    await seedAnalysedFixtureSite(db, { slug: SITE });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it.each(Object.keys(GETTERS))('%s', async (layer) => {
    expect(db.capabilities.mvt, 'the DATABASE_URL server has ST_AsMVT (PostGIS with protobuf)').toBe(true);
    const extent =
      layer === 'shorelines' ? await getDataExtent(db) : await getLayerExtent(db, layer as AnalysisLayerId);
    let compared = 0;
    let polygons = 0;
    for (const z of [10, 12, 13, 14, 15, 16, 17]) {
      for (const tile of tilesOver(extent!.bounds, z)) {
        const sql = await GETTERS[layer]!(db, tile, { encoder: 'postgis' });
        const js = await GETTERS[layer]!(db, tile, { encoder: 'js' });
        const where = `${layer} ${z}/${tile.x}/${tile.y}`;
        expect(js === null, `${where}: both encoders agree whether it is empty`).toBe(sql === null);
        if (!sql || !js) continue;
        const a = decodeTile(sql)[layer] ?? [];
        const b = decodeTile(js)[layer] ?? [];
        expect(b.map((f) => f.id).sort(), where).toEqual(a.map((f) => f.id).sort());
        for (const fa of a) {
          const fb = b.find((f) => f.id === fa.id)!;
          expect(fb.properties, where).toEqual(fa.properties);
          expect(fb.type, where).toBe(fa.type);
          if (fa.type === 3) {
            // Valid MVT polygons (exterior first, no self-intersection) whose outlines agree within a unit.
            expect(() => polygonsOf(fb.geometry), where).not.toThrow();
            expect(polygonKinks(fb.geometry), `${where} feature ${fa.id}`).toBe(0);
            expect(
              meanBoundaryOffset(fa.geometry, fb.geometry),
              `${where} feature ${fa.id}`,
            ).toBeLessThanOrEqual(1);
            polygons++;
          } else {
            expect(
              geometryDistance(fa.geometry, fb.geometry),
              `${where} feature ${fa.id}`,
            ).toBeLessThanOrEqual(1);
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
    if (VECTOR_LAYERS[layer]!.geometry === 'polygon') expect(polygons).toBe(compared);
  });
});
