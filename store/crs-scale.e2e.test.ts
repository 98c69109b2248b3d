import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { crsScaleAt } from './crs-scale.ts';

const CA_MAU: [number, number] = [104.73, 8.65];

describe('crsScaleAt, on PostGIS', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("measures UTM's scale factor: 0.9996 on its central meridian, growing away from it", async () => {
    // Zone 48N's central meridian is 105°E.
    const [onMeridian, caMau] = (await crsScaleAt(db.knex, 32648, [[105, 8.65], CA_MAU]))!;
    expect(onMeridian!.east).toBeCloseTo(0.9996, 4);
    expect(onMeridian!.north).toBeCloseTo(0.9996, 4);
    expect(caMau!.east).toBeGreaterThan(0.9996);
    expect(Math.abs(caMau!.east - 1)).toBeLessThan(0.001);
    expect(caMau).toMatchObject({ lon: CA_MAU[0], lat: CA_MAU[1] });
  });

  it('shows Web Mercator stretching by about 1/cos(latitude), and a far UTM zone distorting enormously', async () => {
    const [mercator] = (await crsScaleAt(db.knex, 3857, [CA_MAU]))!;
    const expected = 1 / Math.cos((CA_MAU[1] * Math.PI) / 180);
    expect(mercator!.east).toBeCloseTo(expected, 3);
    // Its sphere is not the ellipsoid: north–south it stretches by a further a/M, about 0.65 % here.
    expect(mercator!.north).toBeCloseTo(1.0181, 3);
    // Zone 31N is made for 0–6°E, a hundred degrees west of Ca Mau.
    const far = await crsScaleAt(db.knex, 32631, [CA_MAU]);
    if (far !== null) expect(Math.max(far[0]!.east, far[0]!.north)).toBeGreaterThan(2);
  });

  it('gives no points for none, and works inside a transaction without spoiling it', async () => {
    expect(await crsScaleAt(db.knex, 32648, [])).toEqual([]);
    await db.knex.transaction(async (trx) => {
      await crsScaleAt(trx, 32631, [[-179.9, 89.99]]);
      const { rows } = await trx.raw<{ rows: { one: number }[] }>('SELECT 1 AS one');
      expect(rows[0]!.one).toBe(1);
    });
  });
});
