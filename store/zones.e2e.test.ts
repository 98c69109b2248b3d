import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { type LonLatRing, squareRing } from '../test/support/lon-lat-rings.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { createSite, getDataVersion, type Site } from './sites.ts';
import { createZones, listZones, type NewZone } from './zones.ts';

function farm(i: number, ring: LonLatRing = squareRing(105 + i * 0.01, 8.6, 0.002)): Omit<NewZone, 'siteId'> {
  return {
    name: `Farm ${i}`,
    kind: 'shrimp',
    externalId: `farm-${i}`,
    geometry: { type: 'Polygon', coordinates: [ring] },
  };
}

async function errorOf(p: Promise<unknown>): Promise<TidemarkError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TidemarkError);
  return err as TidemarkError;
}

describe('createZones: several zones of a site, all or none', () => {
  let db: TestDatabase;
  let site: Site;
  beforeAll(async () => {
    db = await openTestDatabase();
    site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
  });
  afterAll(async () => {
    await db?.dispose();
  });
  const version = async () => Number(await getDataVersion(db.knex, site.slug));

  it('stores every zone with its area in the site CRS and bumps the data version once', async () => {
    const before = await version();
    const stored = await createZones(db, site.id, [farm(1), farm(2), farm(3)]);
    expect(stored.map((z) => z.externalId)).toEqual(['farm-1', 'farm-2', 'farm-3']);
    expect(await version()).toBe(before + 1);
    const { rows } = await db.knex.raw<{ rows: { id: number; expected: number }[] }>(
      `SELECT id, ST_Area(ST_Transform(geom, 32648)) AS expected FROM aquaculture_zones WHERE site_id = ?`,
      [site.id],
    );
    for (const zone of stored) {
      const expected = rows.find((r) => r.id === zone.id)!.expected;
      // About 220 m × 220 m at this latitude.
      expect(zone.areaM2).toBeGreaterThan(40_000);
      expect(zone.areaM2).toBeCloseTo(expected, 6);
      expect(zone.geometry.type).toBe('MultiPolygon');
    }
  });

  it('stores nothing when one geometry is invalid, and names the problem', async () => {
    const before = await listZones(db, site.id);
    const versionBefore = await version();
    const bowTie: LonLatRing = [
      [106, 8.6],
      [106.01, 8.61],
      [106.01, 8.6],
      [106, 8.61],
      [106, 8.6],
    ];
    const err = await errorOf(createZones(db, site.id, [farm(10), farm(11, bowTie), farm(12)]));
    expect(err.message).toMatch(
      /^zone 2 of 3 \('Farm 11'\): the zone geometry is not valid: self-intersection/i,
    );
    expect(err.status).toBe(422);
    expect(await listZones(db, site.id)).toEqual(before);
    expect(await version()).toBe(versionBefore);
  });

  it('stores nothing when an external id repeats, within the batch or against a stored zone', async () => {
    const before = await listZones(db, site.id);
    const versionBefore = await version();
    const inBatch = await errorOf(createZones(db, site.id, [farm(20), farm(21), farm(20)]));
    expect(inBatch.code).toBe('CONFLICT');
    expect(inBatch.message).toContain("'farm-20'");
    const stored = await errorOf(createZones(db, site.id, [farm(30), farm(1)]));
    expect(stored.code).toBe('CONFLICT');
    expect(stored.message).toContain("'farm-1'");
    expect(await listZones(db, site.id)).toEqual(before);
    expect(await version()).toBe(versionBefore);
  });

  it('refuses an unknown site, and does nothing for an empty list', async () => {
    const err = await errorOf(createZones(db, 999_999, [farm(40)]));
    expect(err.code).toBe('NOT_FOUND');
    const versionBefore = await version();
    expect(await createZones(db, site.id, [])).toEqual([]);
    expect(await version()).toBe(versionBefore);
  });
});
