import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import {
  type DecodedFeature,
  decodeTile,
  geometryDistance,
  tileForLonLat,
} from '../../test/support/decode-tile.ts';
import { SYNTHETIC_COAST, syntheticShoreline } from '../../test/support/synthetic-shorelines.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { insertScene } from '../scenes.ts';
import { insertShorelines, type LineFeature, listShorelines } from '../shorelines.ts';
import { bumpDataVersion, createSite } from '../sites.ts';
import { getShorelineTile, type ShorelineTileParams, shorelineTileQuery } from './shoreline-tile.ts';
import { SHORELINES_LAYER } from './vector-layers.ts';

const CA_MAU_YEARS = [2016, 2017, 2018, 2019, 2020];
const MID_LON = (SYNTHETIC_COAST.west + SYNTHETIC_COAST.east) / 2;
const COAST_TILE = tileForLonLat(MID_LON, SYNTHETIC_COAST.lat + 0.004, 12);

async function storeYear(
  db: TestDatabase,
  siteId: number,
  year: number,
  features: LineFeature[],
): Promise<void> {
  const date = `${year}-02-1${year % 10}`;
  await db.knex.transaction(async (trx) => {
    const sceneId = await insertScene(trx, {
      siteId,
      sha256: `${siteId}${year}`.padEnd(64, '0'),
      fileName: `S2_${date}.tif`,
      acquiredAt: date,
      epsg: 32648,
      width: 512,
      height: 512,
    });
    await insertShorelines(trx, { siteId, sceneId, date, features });
    await bumpDataVersion(trx, siteId);
  });
}

async function features(db: TestDatabase, params: ShorelineTileParams): Promise<DecodedFeature[]> {
  const bytes = await getShorelineTile(db, params);
  if (!bytes) return [];
  expect(Buffer.isBuffer(bytes), 'tiles are Buffers, which HTTP frameworks send as bytes').toBe(true);
  const layers = decodeTile(bytes);
  expect(Object.keys(layers)).toEqual([SHORELINES_LAYER.id]);
  return layers[SHORELINES_LAYER.id] ?? [];
}

const years = (fs: DecodedFeature[]) => [...new Set(fs.map((f) => f.properties.year))].sort();

describe('shoreline tiles', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    const caMau = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    const bacLieu = await createSite(db.knex, { slug: 'bac-lieu', name: 'Bac Lieu', epsg: 32648 });
    for (const year of CA_MAU_YEARS)
      await storeYear(db, caMau.id, year, [syntheticShoreline(year, { split: year === 2018 })]);
    await storeYear(db, bacLieu.id, 2021, [syntheticShoreline(2021)]);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('decode to the stored lines with their years and properties', async () => {
    const fs = await features(db, COAST_TILE);
    expect(years(fs)).toEqual([...CA_MAU_YEARS, 2021]);
    const stored = [...(await listShorelines(db, 1)), ...(await listShorelines(db, 2))];
    for (const f of fs) {
      const line = stored.find((s) => s.id === f.id);
      expect(line, `feature ${f.id} is a stored shoreline`).toBeDefined();
      expect(f.type).toBe(2);
      expect(f.properties).toEqual({
        id: line!.id,
        site: line!.siteId === 1 ? 'ca-mau' : 'bac-lieu',
        scene_id: line!.sceneId!,
        date: line!.date,
        year: Number(line!.date.slice(0, 4)),
        length_m: line!.lengthM,
      });
      expect(Object.keys(f.properties).sort()).toEqual(Object.keys(SHORELINES_LAYER.fields).sort());
    }
  });

  it('filter by site and by year range', async () => {
    expect(years(await features(db, { ...COAST_TILE, site: 'ca-mau' }))).toEqual(CA_MAU_YEARS);
    expect(years(await features(db, { ...COAST_TILE, site: 'bac-lieu' }))).toEqual([2021]);
    expect(years(await features(db, { ...COAST_TILE, fromYear: 2017, toYear: 2018 }))).toEqual([2017, 2018]);
    expect(years(await features(db, { ...COAST_TILE, fromYear: 2020 }))).toEqual([2020, 2021]);
    expect(years(await features(db, { ...COAST_TILE, toYear: 2016 }))).toEqual([2016]);
  });

  it('are null where there is nothing: open sea, an unknown site, a year without lines', async () => {
    expect(await getShorelineTile(db, tileForLonLat(-30, 40, 12))).toBeNull();
    expect(await getShorelineTile(db, { ...COAST_TILE, site: 'nowhere' })).toBeNull();
    expect(await getShorelineTile(db, { ...COAST_TILE, fromYear: 2030 })).toBeNull();
    // Tiles just north and south of the coast band hold no line.
    expect(await getShorelineTile(db, { ...COAST_TILE, y: COAST_TILE.y - 3 })).toBeNull();
  });

  it('show the coast at every zoom from the whole world to street level', async () => {
    for (const z of [0, 2, 5, 8, 11, 14, 17]) {
      const fs = await features(db, tileForLonLat(MID_LON, SYNTHETIC_COAST.lat + 0.004, z));
      expect(fs.length, `features at z${z}`).toBeGreaterThan(0);
    }
  });

  it.each([
    [{ z: -1, x: 0, y: 0 }, /zoom/],
    [{ z: 25, x: 0, y: 0 }, /zoom/],
    [{ z: 1.5, x: 0, y: 0 }, /zoom/],
    [{ z: Number.NaN, x: 0, y: 0 }, /zoom/],
    [{ z: 3, x: 8, y: 0 }, /tile x 8/],
    [{ z: 3, x: 0, y: -1 }, /tile y -1/],
    [{ z: 3, x: 0.5, y: 0 }, /tile x/],
    [{ ...COAST_TILE, fromYear: 1800 }, /fromYear/],
    [{ ...COAST_TILE, toYear: 2020.5 }, /toYear/],
    [{ ...COAST_TILE, fromYear: 2020, toYear: 2019 }, /after/],
  ])('reject bad tile parameters %j', async (params, message) => {
    const err = await getShorelineTile(db, params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('INVALID_INPUT');
    expect((err as TidemarkError).message).toMatch(message);
  });

  it('treat SQL-ish filter values as data', async () => {
    expect(await getShorelineTile(db, { ...COAST_TILE, site: "ca-mau' OR '1'='1" })).toBeNull();
    const { rows } = await db.knex.raw<{ rows: { n: number }[] }>('SELECT count(*) AS n FROM shorelines');
    expect(rows[0]?.n).toBe(CA_MAU_YEARS.length + 1);
  });

  it('filter with the GiST index', async () => {
    const q = shorelineTileQuery(COAST_TILE, { site: 'ca-mau', fromYear: 2016 });
    const plan = await db.knex.transaction(async (trx) => {
      // With so few rows a sequential scan is cheaper; forbid it to see whether the index can serve the filter.
      await trx.raw('SET LOCAL enable_seqscan = off');
      const { rows } = await trx.raw<{ rows: Record<string, string>[] }>(`EXPLAIN ${q.sql}`, [...q.bindings]);
      return rows.map((r) => Object.values(r).join(' ')).join('\n');
    });
    expect(plan).toMatch(/shorelines_geom_gist/);
  });

  it('cap the features of one tile, keeping the newest', async () => {
    const site = await createSite(db.knex, { slug: 'cap-test', name: 'Cap test', epsg: 32648 });
    // 100 × 51 short lines in the middle of one z10 tile.
    const tile = tileForLonLat(106.5, 9.5, 10);
    const n = 2 ** tile.z;
    const lon0 = ((tile.x + 0.5) / n) * 360 - 180 - 0.025;
    const lat0 = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (tile.y + 0.5)) / n))) * 180) / Math.PI - 0.0125;
    const many: LineFeature[] = Array.from({ length: SHORELINES_LAYER.featureCap + 5 }, (_, i) => {
      const lon = lon0 + (i % 100) * 0.0005;
      const lat = lat0 + Math.floor(i / 100) * 0.0005;
      return {
        type: 'Feature',
        geometry: {
          type: 'LineString',
          coordinates: [
            [lon, lat],
            [lon + 0.0003, lat],
          ],
        },
        properties: {},
      };
    });
    await storeYear(db, site.id, 2015, many.slice(0, 5));
    await storeYear(db, site.id, 2016, many.slice(5));
    const fs = await features(db, { ...tile, site: 'cap-test' });
    expect(fs).toHaveLength(SHORELINES_LAYER.featureCap);
    expect(years(fs)).toEqual([2016]);
  });
});

// ST_AsMVT needs a server PostGIS built with protobuf; the embedded PGlite has none.
const onServer = inject('tidemarkServerTemplate') !== null;
if (!onServer)
  process.stderr.write('[tidemark] no DATABASE_URL: the ST_AsMVT vs JS encoder comparison is SKIPPED\n');

describe.skipIf(!onServer)('shoreline tiles: ST_AsMVT and the JS encoder', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    const site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    for (const year of CA_MAU_YEARS)
      await storeYear(db, site.id, year, [syntheticShoreline(year, { split: year === 2018 })]);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('decode to the same features (ids, properties, geometry within 1 tile unit)', async () => {
    expect(db.capabilities.mvt, 'the DATABASE_URL server has ST_AsMVT (PostGIS with protobuf)').toBe(true);
    const tiles = new Map<string, { z: number; x: number; y: number }>();
    for (const z of [3, 6, 9, 11, 12, 13, 14, 15, 16]) {
      for (let i = 0; i <= 6; i++) {
        const lon = SYNTHETIC_COAST.west + ((SYNTHETIC_COAST.east - SYNTHETIC_COAST.west) * i) / 6;
        const t = tileForLonLat(lon, SYNTHETIC_COAST.lat + 0.004, z);
        // The tile and its neighbours: lines entering through the buffer and ending at tile edges.
        for (const dx of [-1, 0, 1]) tiles.set(`${z}/${t.x + dx}/${t.y}`, { z, x: t.x + dx, y: t.y });
      }
    }
    let compared = 0;
    for (const tile of tiles.values()) {
      const sql = await getShorelineTile(db, tile, { encoder: 'postgis' });
      const js = await getShorelineTile(db, tile, { encoder: 'js' });
      expect(js === null, `both encoders agree that ${tile.z}/${tile.x}/${tile.y} is empty or not`).toBe(
        sql === null,
      );
      if (!sql || !js) continue;
      const a = decodeTile(sql).shorelines ?? [];
      const b = decodeTile(js).shorelines ?? [];
      const where = `tile ${tile.z}/${tile.x}/${tile.y}`;
      expect(b.map((f) => f.id).sort(), where).toEqual(a.map((f) => f.id).sort());
      for (const fa of a) {
        const fb = b.find((f) => f.id === fa.id)!;
        expect(fb.properties, where).toEqual(fa.properties);
        expect(fb.type, where).toBe(fa.type);
        expect(geometryDistance(fa.geometry, fb.geometry), `${where} feature ${fa.id}`).toBeLessThanOrEqual(
          1,
        );
      }
      compared += a.length;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
