import type { Queryable } from './queryable.ts';

/** A point (EPSG:4326) and how a CRS scales distances there. */
export interface CrsScale {
  lon: number;
  lat: number;
  /** Projected distance / true (spheroidal) distance, east–west and north–south; 1 is exact. */
  east: number;
  north: number;
}

/** Degrees between the point and its east and north neighbours: far enough for metres, near enough to be local. */
const STEP_DEG = 0.01;

/**
 * The local scale of a projected CRS at each point, measured by PostGIS: the distance between the point and
 * a neighbour STEP_DEG east (north) once projected, over their distance on the WGS 84 spheroid. A CRS used
 * outside its area distorts lengths, areas and rates: UTM stays within 1 % up to about 8° from its
 * central meridian. Null when PROJ cannot project the points at all.
 */
export async function crsScaleAt(
  db: Queryable,
  epsg: number,
  points: readonly (readonly [number, number])[],
): Promise<CrsScale[] | null> {
  if (points.length === 0) return [];
  if (!points.every(([lon, lat]) => Number.isFinite(lon) && Number.isFinite(lat))) return null;
  try {
    // A savepoint (or a transaction of its own), so that a point PROJ refuses fails this check only.
    const rows = await db.transaction(async (sp) => {
      const result = await sp.raw<{ rows: CrsScale[] }>(
        `SELECT p.lon, p.lat,
          ST_Distance(ST_Transform(g.a, ?::integer), ST_Transform(g.e, ?::integer))
            / ST_Distance(g.a::geography, g.e::geography, true) AS east,
          ST_Distance(ST_Transform(g.a, ?::integer), ST_Transform(g.n, ?::integer))
            / ST_Distance(g.a::geography, g.n::geography, true) AS north
       FROM unnest(?::float8[], ?::float8[]) WITH ORDINALITY AS p(lon, lat, i)
       CROSS JOIN LATERAL (SELECT
          ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS a,
          ST_SetSRID(ST_MakePoint(p.lon + ?::float8, p.lat), 4326) AS e,
          -- Southwards near the north pole, so the neighbour stays a valid latitude.
          ST_SetSRID(ST_MakePoint(p.lon, p.lat + CASE WHEN p.lat > 89 THEN -?::float8 ELSE ?::float8 END), 4326) AS n) g
       ORDER BY p.i`,
        [
          epsg,
          epsg,
          epsg,
          epsg,
          points.map((p) => p[0]),
          points.map((p) => p[1]),
          STEP_DEG,
          STEP_DEG,
          STEP_DEG,
        ],
      );
      return result.rows;
    });
    return rows.map((r) => ({ lon: r.lon, lat: r.lat, east: Number(r.east), north: Number(r.north) }));
  } catch (err) {
    // PROJ refuses points far outside what some projections can represent; anything else is a real failure.
    if (/transform|proj/i.test((err as Error).message)) return null;
    throw err;
  }
}
