import type geokeysToProj4Module from 'geotiff-geokeys-to-proj4';
import { TidemarkError } from '../common/errors.ts';
import { proj4 } from '../common/proj4.ts';
import type { GeoTransform } from './scene-source.ts';

export interface SceneCrs {
  epsg: number | null;
  proj4: string;
  crsUnits: 'metre' | 'degree' | 'other';
  metresPerUnit: number;
  /** Factor from file coordinates to degrees for a geographic CRS in grads, arc-minutes and the like. */
  angularScale: number;
}

const USER_DEFINED = 32767;
const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;

function isCode(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < USER_DEFINED;
}

/** GeoTIFF ProjCoordTransGeoKey values, to name a projection method that cannot be handled. */
const COORD_TRANSFORMS: Record<number, string> = {
  1: 'transverse Mercator',
  2: 'modified Alaska transverse Mercator',
  3: 'Hotine oblique Mercator',
  4: 'Laborde oblique Mercator',
  5: 'Rosenmund oblique Mercator',
  6: 'spherical oblique Mercator',
  7: 'Mercator',
  8: 'Lambert conformal conic (2SP)',
  9: 'Lambert conformal conic (1SP)',
  10: 'Lambert azimuthal equal area',
  11: 'Albers equal area',
  12: 'azimuthal equidistant',
  13: 'equidistant conic',
  14: 'stereographic',
  15: 'polar stereographic',
  16: 'oblique stereographic',
  17: 'equirectangular',
  18: 'Cassini-Soldner',
  19: 'gnomonic',
  20: 'Miller cylindrical',
  21: 'orthographic',
  22: 'polyconic',
  23: 'Robinson',
  24: 'sinusoidal',
  25: 'Van der Grinten',
  26: 'New Zealand map grid',
  27: 'south-oriented transverse Mercator',
  // GeoTIFF 1.1 allows EPSG method codes here too.
  9812: 'Hotine oblique Mercator (variant A)',
  9815: 'Hotine oblique Mercator (variant B)',
};

const UNIT_METRES: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, 'us-ft': 0.3048006096012192 };

let geokeysLibrary: Promise<typeof geokeysToProj4Module> | null = null;

/**
 * geotiff-geokeys-to-proj4, loaded on first use: 1.5 MB of JavaScript (its EPSG tables), which each
 * extraction worker would otherwise parse at start-up for a CRS the main thread has already resolved.
 */
function geokeysToProj4(): Promise<typeof geokeysToProj4Module> {
  geokeysLibrary ??= import('geotiff-geokeys-to-proj4').then((m) => m.default);
  return geokeysLibrary;
}

/** GeoKeys that may accompany a WGS 84 / UTM code, with the values that leave its meaning unchanged. */
const UTM_COMPANION_KEYS: Record<string, (v: unknown) => boolean> = {
  GTModelTypeGeoKey: (v) => v === MODEL_PROJECTED,
  GTRasterTypeGeoKey: () => true,
  ProjectedCSTypeGeoKey: () => true,
  GTCitationGeoKey: () => true,
  PCSCitationGeoKey: () => true,
  GeogCitationGeoKey: () => true,
  GeogAngularUnitsGeoKey: (v) => v === 9102, // degree
  ProjLinearUnitsGeoKey: (v) => v === 9001, // metre
};

/**
 * WGS 84 / UTM (EPSG 32601–32660 north, 32701–32760 south), the CRS of Sentinel-2 and Landsat scenes,
 * resolved without loading the CRS tables (about 45 ms at each process start): the very definition
 * geotiff-geokeys-to-proj4 gives (a test compares all 120 zones). Null for any other CRS, or when another
 * GeoKey could change the meaning of the code.
 */
export function wgs84UtmCrs(keys: Record<string, unknown>): SceneCrs | null {
  const code = keys.ProjectedCSTypeGeoKey;
  if (typeof code !== 'number') return null;
  const north = code >= 32601 && code <= 32660;
  if (!north && !(code >= 32701 && code <= 32760)) return null;
  for (const [key, value] of Object.entries(keys)) {
    if (!UTM_COMPANION_KEYS[key]?.(value)) return null;
  }
  const zone = code % 100;
  return {
    epsg: code,
    proj4:
      `+proj=tmerc +lat_0=0 +lon_0=${6 * zone - 183} +k_0=0.9996 +x_0=500000 +y_0=${north ? 0 : 10_000_000} ` +
      '+ellps=WGS84 +a=6378137 +b=6356752.314245179 +pm=0 +no_defs',
    crsUnits: 'metre',
    metresPerUnit: 1,
    angularScale: 1,
  };
}

/** GeoKeys (as a canonical string) → the CRS they resolved to. Small: a thread sees few distinct CRSs. */
const resolved = new Map<string, SceneCrs>();
const MAX_RESOLVED = 64;

/** The canonical string of a GeoKey set: the key under which its CRS is recorded. */
function geoKeysId(keys: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((k) => [k, keys[k]]),
  );
}

function remember(id: string, crs: SceneCrs): void {
  if (resolved.has(id)) return;
  if (resolved.size >= MAX_RESOLVED) resolved.delete(resolved.keys().next().value as string);
  resolved.set(id, crs);
}

/**
 * The CRS the GeoKeys describe, as a proj4 definition with east/north (lon/lat) axis order, because GeoTIFF
 * model space is always x = easting/longitude whatever the CRS's official axis order.
 */
export async function crsFromGeoKeys(
  fileName: string,
  keys: Record<string, unknown> | null,
): Promise<SceneCrs> {
  if (!keys || Object.keys(keys).length === 0) {
    throw new TidemarkError(
      'NO_GEOREFERENCE',
      `${fileName} has no GeoKeys, so its coordinate reference system is unknown`,
    );
  }
  const model = keys.GTModelTypeGeoKey;
  if (model === USER_DEFINED) {
    const citation = String(keys.PCSCitationGeoKey ?? keys.GTCitationGeoKey ?? '');
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName} uses a user-defined model type${citation.includes('ESRI PE') ? ' described by an ESRI PE string' : ''}; ` +
        'only EPSG codes or GeoKey-described projected/geographic CRSs are supported',
    );
  }
  if (model !== MODEL_PROJECTED && model !== MODEL_GEOGRAPHIC) {
    throw new TidemarkError(
      model === undefined ? 'NO_GEOREFERENCE' : 'UNSUPPORTED',
      model === undefined
        ? `${fileName} has GeoKeys but no model type (GTModelTypeGeoKey), so its CRS is unknown`
        : `${fileName} has an unsupported GeoTIFF model type ${String(model)} (geocentric or unknown)`,
    );
  }
  const id = geoKeysId(keys);
  const known = resolved.get(id);
  if (known) return known;
  const utm = wgs84UtmCrs(keys);
  // proj4 itself is needed anyway, to reproject the lines at the end: load it now, as the tables path
  // does to check its definition, while the workers are still starting, rather than last.
  if (utm) proj4();
  const crs = utm ?? convertGeoKeys(fileName, keys, model, await geokeysToProj4());
  remember(id, crs);
  return crs;
}

/** The CRS as geotiff-geokeys-to-proj4 resolves the keys, whatever they are (for tests of the fast path). */
export async function crsFromGeoKeysByTables(
  fileName: string,
  keys: Record<string, unknown>,
): Promise<SceneCrs> {
  return convertGeoKeys(fileName, keys, keys.GTModelTypeGeoKey, await geokeysToProj4());
}

function convertGeoKeys(
  fileName: string,
  keys: Record<string, unknown>,
  model: unknown,
  geokeys: typeof geokeysToProj4Module,
): SceneCrs {
  let converted: ReturnType<typeof geokeys.toProj4>;
  try {
    converted = geokeys.toProj4(keys as unknown as Parameters<typeof geokeys.toProj4>[0]);
  } catch (err) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: cannot interpret its GeoKeys (${(err as Error).message})`,
    );
  }
  const definition = converted.proj4.replace(/\s*\+axis=\w+/g, '').trim();
  try {
    proj4()(definition, 'EPSG:4326');
  } catch (err) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: its CRS (${definition}) is not supported by proj4 (${(err as Error).message})`,
    );
  }
  const geographic = model === MODEL_GEOGRAPHIC;
  if (geographic !== converted.isGCS) {
    // geotiff-geokeys-to-proj4 falls back to longitude/latitude for projections it cannot express.
    const method = COORD_TRANSFORMS[Number(keys.ProjCoordTransGeoKey)];
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: its projection${method ? ` (${method})` : ''} cannot be converted to a proj4 definition`,
    );
  }
  if (geographic) {
    const scale = converted.coordinatesConversionParameters.x;
    return {
      epsg: isCode(keys.GeographicTypeGeoKey) ? keys.GeographicTypeGeoKey : null,
      proj4: definition,
      crsUnits: 'degree',
      metresPerUnit: Number.NaN,
      angularScale: Number.isFinite(scale) && scale > 0 ? scale : 1,
    };
  }
  const toMeter = /\+to_meter=([0-9.eE+-]+)/.exec(definition);
  const units = /\+units=([\w-]+)/.exec(definition);
  const metresPerUnit = toMeter ? Number(toMeter[1]) : units ? (UNIT_METRES[units[1]!] ?? Number.NaN) : 1;
  if (converted.coordinatesUnits !== 'metre' || !(metresPerUnit > 0)) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: projected CRS with non-length units (${converted.coordinatesUnits})`,
    );
  }
  return {
    epsg: isCode(keys.ProjectedCSTypeGeoKey) ? keys.ProjectedCSTypeGeoKey : null,
    proj4: definition,
    crsUnits: 'metre',
    metresPerUnit,
    angularScale: 1,
  };
}

const RASTER_PIXEL_IS_POINT = 2;

/**
 * GDAL geotransform from the GeoTIFF georeferencing tags. For PixelIsPoint rasters the tie point names a
 * pixel centre, so the corner-based transform is shifted by half a pixel, as GDAL does by default.
 */
export function geoTransformFromTags(
  fileName: string,
  tags: { tiepoint?: ArrayLike<number>; pixelScale?: ArrayLike<number>; transformation?: ArrayLike<number> },
  rasterType: unknown,
): GeoTransform {
  let gt: GeoTransform;
  const { tiepoint, pixelScale, transformation } = tags;
  if (transformation && transformation.length >= 16) {
    const m = Array.from(transformation);
    gt = [m[3]!, m[0]!, m[1]!, m[7]!, m[4]!, m[5]!];
  } else if (tiepoint && tiepoint.length >= 6 && pixelScale && pixelScale.length >= 2) {
    if (tiepoint.length > 6) {
      throw new TidemarkError(
        'UNSUPPORTED',
        `${fileName} is georeferenced by ground control points, which are not supported`,
      );
    }
    const [i, j, , x, y] = Array.from(tiepoint) as [number, number, number, number, number];
    const sx = pixelScale[0]!;
    const sy = pixelScale[1]!;
    gt = [x - i * sx, sx, 0, y + j * sy, 0, -sy];
  } else if (tiepoint && tiepoint.length > 6) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName} is georeferenced by ground control points, which are not supported`,
    );
  } else {
    throw new TidemarkError(
      'NO_GEOREFERENCE',
      `${fileName} has no georeferencing (no ModelTiepoint + ModelPixelScale or ModelTransformation tags)`,
    );
  }
  if (!gt.every(Number.isFinite) || gt[1] * gt[5] - gt[2] * gt[4] === 0) {
    throw new TidemarkError(
      'NO_GEOREFERENCE',
      `${fileName} has a degenerate geotransform [${gt.join(', ')}]`,
    );
  }
  if (rasterType === RASTER_PIXEL_IS_POINT) {
    gt = [gt[0] - 0.5 * gt[1] - 0.5 * gt[2], gt[1], gt[2], gt[3] - 0.5 * gt[4] - 0.5 * gt[5], gt[4], gt[5]];
  }
  return gt;
}
