import type { DatumShift } from './epsg-datum-shifts.ts';
import type { AreaOfUse } from './epsg-definitions.ts';

/**
 * The largest stated accuracy (metres) of a datum transformation we apply: a fifth of a Sentinel-2 pixel. A
 * coarser one would move lines by more, and where the EPSG dataset has several, GDAL may pick another for
 * part of the area (see shiftToWgs84), so its lines and ours could differ by twice that.
 */
export const MAX_SHIFT_ACCURACY_M = 2;

const WGS84_GEOGRAPHIC = 4326;

export type ShiftChoice =
  /** towgs84 null: no shift (WGS 84 itself, or a datum that coincides with it). */
  { ok: true; towgs84: number[] | null; transformation: number | null } | { ok: false; reason: string };

interface Tables {
  byGeographic: Map<number, DatumShift[]>;
  geographicByDatum: Map<number, number>;
  geographicByName: Map<string, number>;
}

let tables: Promise<Tables> | null = null;

/** The EPSG transformation table (60 kB), loaded on first use: WGS 84 scenes never need it. */
function shiftTables(): Promise<Tables> {
  tables ??= import('./epsg-datum-shifts.ts').then(({ EPSG_DATUM_SHIFTS }) => {
    const byGeographic = new Map<number, DatumShift[]>();
    const geographicByDatum = new Map<number, number>();
    const geographicByName = new Map<string, number>();
    for (const [geographic, datum, name, shifts] of EPSG_DATUM_SHIFTS) {
      byGeographic.set(geographic, shifts);
      if (!geographicByDatum.has(datum)) geographicByDatum.set(datum, geographic);
      if (!geographicByName.has(name)) geographicByName.set(name, geographic);
    }
    return { byGeographic, geographicByDatum, geographicByName };
  });
  return tables;
}

/** A geographic CRS of this EPSG datum that has transformations to WGS 84, or null. */
export async function geographicCrsOfDatum(datum: number): Promise<number | null> {
  return (await shiftTables()).geographicByDatum.get(datum) ?? null;
}

/**
 * The geographic CRS of this name that has transformations to WGS 84, or null: for the projected CRSs whose
 * definition in epsg-index lacks the WKT naming their base (those on the Paris, Ferro, Jakarta… meridians),
 * EPSG names every projected CRS "<base geographic CRS> / <projection>".
 */
export async function geographicCrsNamed(name: string): Promise<number | null> {
  return (await shiftTables()).geographicByName.get(name) ?? null;
}

function contains(shift: DatumShift, lat: number, lon: number): boolean {
  const [, , south, west, north, east] = shift;
  if (lat < south || lat > north) return false;
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
}

function centre(area: AreaOfUse): [lat: number, lon: number] {
  const east = area.east < area.west ? area.east + 360 : area.east;
  const lon = (area.west + east) / 2;
  return [(area.south + area.north) / 2, lon > 180 ? lon - 360 : lon];
}

/**
 * The transformation from an EPSG geographic CRS to WGS 84 to apply to a scene in `area`, as +towgs84
 * parameters. GDAL (through PROJ) tries the EPSG transformations in PROJ's order and takes, for each point,
 * the first whose extent contains it; we take the one it takes at the centre of the CRS's area of use, and
 * only when its stated accuracy is within MAX_SHIFT_ACCURACY_M, or it is a null transformation (a datum that
 * coincides with WGS 84, where GDAL applies none either). A datum whose transformation needs a grid (NAD27,
 * NZGD49, …) and has no Helmert transformation that accurate is refused: proj4js cannot load those grids.
 * A datum without any transformation in EPSG is taken as WGS 84 only when it is on the WGS 84 or GRS 1980
 * ellipsoid (PROJ's "ballpark" then moves nothing either), else refused.
 */
export async function shiftToWgs84(
  geographicCode: number,
  area: AreaOfUse | null,
  wgs84Ellipsoid: boolean,
): Promise<ShiftChoice> {
  if (geographicCode === WGS84_GEOGRAPHIC) return { ok: true, towgs84: null, transformation: null };
  const shifts = (await shiftTables()).byGeographic.get(geographicCode);
  if (!shifts) {
    return wgs84Ellipsoid
      ? { ok: true, towgs84: null, transformation: null }
      : { ok: false, reason: 'the EPSG dataset has no Helmert transformation from its datum to WGS 84' };
  }
  const chosen = area ? shifts.find((s) => contains(s, ...centre(area))) : shifts[0];
  if (!chosen) {
    return {
      ok: false,
      reason: 'no Helmert transformation of the EPSG dataset from its datum to WGS 84 covers its area of use',
    };
  }
  const [code, accuracyM, , , , , ...params] = chosen;
  if (params.every((v) => v === 0)) return { ok: true, towgs84: null, transformation: code };
  if (accuracyM === null || accuracyM > MAX_SHIFT_ACCURACY_M) {
    return {
      ok: false,
      reason:
        `its datum's transformation to WGS 84 that GDAL would use, EPSG:${code}, is accurate only to ` +
        `${accuracyM === null ? 'an unstated amount' : `${accuracyM} m`} (Tidemark accepts ${MAX_SHIFT_ACCURACY_M} m; ` +
        'the grid-based transformations of the EPSG dataset are not supported)',
    };
  }
  return { ok: true, towgs84: params, transformation: code };
}

/** The end of every refusal of a datum: why, and what to do instead. */
export const PLACE_ON_WGS84_HINT =
  'so its lines cannot be placed on WGS 84; reproject the scene first, e.g. ' +
  'gdalwarp -t_srs EPSG:4326 in.tif out.tif (GDAL applies the datum grids)';
