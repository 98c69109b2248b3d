import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { syntheticShoreline } from '../test/support/synthetic-shorelines.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { findSceneBySha256, insertScene, listScenes, type NewScene } from './scenes.ts';
import { getDataExtent, insertShorelines, type LineFeature, listShorelines } from './shorelines.ts';
import {
  bumpDataVersion,
  createSite,
  ensureSite,
  getDataVersion,
  getSiteBySlug,
  listSites,
  requireSiteBySlug,
  type Site,
} from './sites.ts';

const sha = (c: string) => c.repeat(64);

function scene(siteId: number, overrides: Partial<NewScene> = {}): NewScene {
  return {
    siteId,
    sha256: sha('a'),
    fileName: 'S2_2020-03-04.tif',
    acquiredAt: '2020-03-04',
    epsg: 32648,
    width: 512,
    height: 512,
    threshold: 0.05,
    waterFraction: 0.4,
    ...overrides,
  };
}

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TidemarkError);
  expect((err as TidemarkError).code).toBe(code);
  expect((err as TidemarkError).message).toMatch(message);
}

async function count(db: TestDatabase, table: string): Promise<number> {
  const row = (await db.knex(table).count({ n: '*' }).first()) as { n: number };
  return row.n;
}

describe('store aggregates', () => {
  let db: TestDatabase;
  let site: Site;
  let other: Site;
  beforeAll(async () => {
    db = await openTestDatabase();
    site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    other = await createSite(db.knex, { slug: 'bac-lieu', name: 'Bac Lieu', epsg: 32648 });
  });
  afterAll(async () => {
    await db?.dispose();
  });

  describe('sites', () => {
    it('are found by slug, listed by slug, and ensureSite returns the stored site', async () => {
      expect(await getSiteBySlug(db.knex, 'ca-mau')).toEqual(site);
      expect(await getSiteBySlug(db.knex, 'nowhere')).toBeNull();
      expect((await listSites(db.knex)).map((s) => s.slug)).toEqual(['bac-lieu', 'ca-mau']);
      const ensured = await ensureSite(db.knex, { slug: 'ca-mau', name: 'Other name', epsg: 32748 });
      expect(ensured.id).toBe(site.id);
      expect(ensured.epsg).toBe(32648);
      const created = await ensureSite(db.knex, { slug: 'kien-giang', name: 'Kien Giang', epsg: 32648 });
      expect(created).toMatchObject({ slug: 'kien-giang', epsg: 32648, shorelineProxy: 'waterline' });
    });

    it('reject an unknown slug with the list of known sites', async () => {
      await rejects(requireSiteBySlug(db.knex, 'nowhere'), 'NOT_FOUND', /unknown site 'nowhere'.*ca-mau/);
    });

    it.each([
      [{ slug: 'Ca-Mau', name: 'x', epsg: 32648 }, 'INVALID_INPUT', /invalid site slug/],
      [{ slug: '-camau', name: 'x', epsg: 32648 }, 'INVALID_INPUT', /invalid site slug/],
      [{ slug: "x'; DROP TABLE sites; --", name: 'x', epsg: 32648 }, 'INVALID_INPUT', /invalid site slug/],
      [{ slug: 'ok', name: '', epsg: 32648 }, 'INVALID_INPUT', /site name/],
      [{ slug: 'ok', name: 'x', epsg: 4326 }, 'INVALID_INPUT', /not a projected CRS in metres/],
      [{ slug: 'ok', name: 'x', epsg: 2227 }, 'INVALID_INPUT', /not a projected CRS in metres/],
      [{ slug: 'ok', name: 'x', epsg: 999999 }, 'INVALID_INPUT', /not a CRS known to PostGIS/],
      [{ slug: 'ok', name: 'x', epsg: 32648.5 }, 'INVALID_INPUT', /invalid EPSG/],
      [{ slug: 'ok', name: 'x', epsg: 32648, shorelineProxy: 'beach' as never }, 'INVALID_INPUT', /proxy/],
      [{ slug: 'ca-mau', name: 'x', epsg: 32648 }, 'CONFLICT', /already exists/],
    ])('reject a bad new site %j', async (bad, code, message) => {
      const before = await count(db, 'sites');
      await rejects(createSite(db.knex, bad), code, message);
      expect(await count(db, 'sites')).toBe(before);
    });

    it('bump data versions from one sequence, and key the all-sites version on every site', async () => {
      const v0 = await getDataVersion(db.knex, 'ca-mau');
      const all0 = await getDataVersion(db.knex);
      const v1 = await bumpDataVersion(db.knex, site.id);
      expect(String(v1)).not.toBe(v0);
      expect(await getDataVersion(db.knex, 'ca-mau')).toBe(String(v1));
      expect(await getDataVersion(db.knex)).not.toBe(all0);
      const v2 = await bumpDataVersion(db.knex, other.id);
      expect(v2).toBeGreaterThan(v1);
      expect(await getDataVersion(db.knex, 'nowhere')).toBeNull();
      await rejects(bumpDataVersion(db.knex, 987654), 'NOT_FOUND', /site #987654/);
    });
  });

  describe('scenes', () => {
    it('store a scene once per site: UNIQUE(site, sha256)', async () => {
      const id = await insertScene(db.knex, scene(site.id));
      expect((await findSceneBySha256(db.knex, site.id, sha('a')))?.id).toBe(id);
      expect(await findSceneBySha256(db.knex, other.id, sha('a'))).toBeNull();

      const err = await insertScene(db.knex, scene(site.id, { fileName: 'copy.tif' })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TidemarkError);
      expect((err as TidemarkError).code).toBe('CONFLICT');
      expect((err as TidemarkError).details).toMatchObject({ sceneId: id });

      // The rule lives in the database, not only in insertScene.
      const raw = await db
        .knex('scenes')
        .insert({
          site_id: site.id,
          sha256: sha('a'),
          file_name: 'raw.tif',
          acquired_date: '2020-01-01',
          epsg: 32648,
          width: 1,
          height: 1,
        })
        .catch((e: { code?: string }) => e);
      expect((raw as { code?: string }).code).toBe('23505');

      // The same bytes in another site are another scene.
      const elsewhere = await insertScene(db.knex, scene(other.id));
      expect(elsewhere).not.toBe(id);
      expect((await listScenes(db.knex, site.id)).map((s) => s.fileName)).toEqual(['S2_2020-03-04.tif']);
    });

    it('keep the calendar date as written and a date-time as acquired_at', async () => {
      const id = await insertScene(
        db.knex,
        scene(site.id, { sha256: sha('b'), acquiredAt: '2019-12-31T23:30:00Z' }),
      );
      const stored = (await listScenes(db.knex, site.id)).find((s) => s.id === id);
      expect(stored?.acquiredDate).toBe('2019-12-31');
      expect(stored?.acquiredAt?.toISOString()).toBe('2019-12-31T23:30:00.000Z');
    });

    it('accept a user-defined CRS given as proj4 instead of an EPSG code', async () => {
      const crsProj4 = '+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84 +units=m';
      const id = await insertScene(db.knex, scene(site.id, { sha256: sha('9'), epsg: null, crsProj4 }));
      const stored = (await listScenes(db.knex, site.id)).find((s) => s.id === id);
      expect(stored).toMatchObject({ epsg: null, crsProj4 });
    });

    it.each([
      [{ acquiredAt: null }, /no acquisition date/],
      [{ acquiredAt: '2020-02-30' }, /invalid acquisition date/],
      [{ acquiredAt: '04/03/2020' }, /invalid acquisition date/],
      [{ acquiredAt: '2020-03-04Tnonsense' }, /invalid acquisition time/],
      [{ sha256: 'xyz' }, /sha256/],
      [{ fileName: '' }, /file name/],
      [{ epsg: -1 }, /EPSG/],
      [{ epsg: null }, /EPSG code or a proj4/],
      [{ width: 0 }, /width/],
      [{ height: 1.5 }, /height/],
      [{ waterFraction: 1.2 }, /water fraction/],
      [{ validFraction: -0.1 }, /valid fraction/],
      [{ cloudFraction: Number.NaN }, /cloud fraction/],
      [{ threshold: Number.POSITIVE_INFINITY }, /threshold/],
      [{ pixelSizeM: 0 }, /pixel size/],
    ])('reject a bad scene %j without storing it', async (bad, message) => {
      const before = await count(db, 'scenes');
      await rejects(
        insertScene(db.knex, scene(site.id, { sha256: sha('c'), ...bad })),
        'INVALID_INPUT',
        message,
      );
      expect(await count(db, 'scenes')).toBe(before);
    });
  });

  describe('shorelines', () => {
    it('store lines as MultiLineString 4326 with their length in the site CRS, and list them', async () => {
      const sceneId = await insertScene(
        db.knex,
        scene(other.id, { sha256: sha('d'), acquiredAt: '2018-05-01' }),
      );
      const features = [syntheticShoreline(2018), syntheticShoreline(2018, { split: true })];
      const before = JSON.stringify(features);
      const ids = await db.knex.transaction((trx) =>
        insertShorelines(trx, { siteId: other.id, sceneId, date: '2018-05-01', features }),
      );
      expect(JSON.stringify(features)).toBe(before);
      expect(ids).toHaveLength(2);

      const listed = await listShorelines(db, other.id);
      expect(listed.map((s) => s.id)).toEqual(ids);
      expect(listed.every((s) => s.geometry.type === 'MultiLineString' && s.date === '2018-05-01')).toBe(
        true,
      );
      expect(listed[1]?.geometry.coordinates).toHaveLength(2);
      const { rows } = await db.knex.raw<{ rows: { srid: number; t: string; len: number }[] }>(
        'SELECT ST_SRID(geom) AS srid, GeometryType(geom) AS t, ST_Length(ST_Transform(geom, 32648)) AS len FROM shorelines WHERE id = ?',
        [ids[0]!],
      );
      expect(rows[0]).toMatchObject({ srid: 4326, t: 'MULTILINESTRING' });
      expect(listed[0]?.lengthM).toBeCloseTo(rows[0]!.len, 6);
      // ~0.3° of longitude at 8.75°N is ~33 km; the wiggles make it longer.
      expect(listed[0]!.lengthM).toBeGreaterThan(33_000);

      const metric = await listShorelines(db.knex, other.id, { epsg: 32648 });
      expect(metric[0]!.geometry.coordinates[0]![0]![0]).toBeGreaterThan(100_000);
    });

    it('report the data extent in CRS84 with the first and last year', async () => {
      const extent = await getDataExtent(db, 'bac-lieu');
      expect(extent?.years).toEqual({ min: 2018, max: 2018 });
      const [w, s, e, n] = extent!.bounds;
      expect(w).toBeCloseTo(104.9, 6);
      expect(e).toBeCloseTo(105.2, 6);
      expect(s).toBeGreaterThan(8.7);
      expect(n).toBeLessThan(8.8);
      expect(await getDataExtent(db.knex, 'kien-giang')).toBeNull();
      expect(await getDataExtent(db.knex, 'nowhere')).toBeNull();
    });

    const line = (coordinates: number[][]): LineFeature => ({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates },
      properties: {},
    });
    it.each([
      [
        'a polygon',
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] } },
        /LineString or MultiLineString/,
      ],
      ['no geometry', { type: 'Feature', geometry: null }, /no geometry/],
      ['one position', line([[105, 8.7]]), /at least 2 positions/],
      [
        'projected coordinates',
        line([
          [500000, 967000],
          [500100, 967000],
        ]),
        /EPSG:4326/,
      ],
      [
        'NaN',
        line([
          [105, Number.NaN],
          [105.1, 8.7],
        ]),
        /finite/,
      ],
      [
        'a bad uncertainty',
        {
          ...line([
            [105, 8.7],
            [105.1, 8.7],
          ]),
          properties: { uncertainty_m: -3 },
        },
        /uncertainty_m/,
      ],
    ])('reject %s without storing anything', async (_name, feature, message) => {
      const before = await count(db, 'shorelines');
      const features = [syntheticShoreline(2019), feature as LineFeature];
      await rejects(
        insertShorelines(db.knex, { siteId: site.id, sceneId: null, date: '2019-01-01', features }),
        'INVALID_INPUT',
        message,
      );
      expect(await count(db, 'shorelines')).toBe(before);
    });

    it.each([
      [{ date: null }, 'INVALID_INPUT', /need a date/],
      [{ date: '2019-13-01' }, 'INVALID_INPUT', /invalid shoreline date/],
      [{ proxy: 'tideline' as never }, 'INVALID_INPUT', /proxy/],
      [{ uncertaintyM: 0 }, 'INVALID_INPUT', /uncertainty/],
      [{ siteId: 987654 }, 'NOT_FOUND', /site #987654/],
    ])('reject bad shoreline options %j', async (bad, code, message) => {
      const before = await count(db, 'shorelines');
      const input = {
        siteId: site.id,
        sceneId: null,
        date: '2019-01-01',
        features: [syntheticShoreline(2019)],
        ...bad,
      };
      await rejects(insertShorelines(db.knex, input), code, message);
      expect(await count(db, 'shorelines')).toBe(before);
    });
  });
});
