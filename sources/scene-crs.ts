import type geokeysToProj4Module from 'geotiff-geokeys-to-proj4';
import { TidemarkError } from '../common/errors.ts';
import { proj4 } from '../common/proj4.ts';
import { geographicCrsNamed, PLACE_ON_WGS84_HINT, shiftToWgs84 } from './datum-shift.ts';
import { epsgCrs } from './epsg-definitions.ts';
import {
  formatProj4,
  PROJ4_UNIT_METRES,
  type Proj4Params,
  param,
  parseProj4,
  towgs84Params,
  withoutParams,
  withParam,
} from './proj4-params.ts';
import type { GeoTransform } from './scene-source.ts';
import {
  angularUnitDegrees,
  linearUnitMetres,
  towgs84Key,
  userDefinedCrs,
  userDefinedDatum,
} from './user-defined-crs.ts';

/** Degrees per angular unit of EPSG geographic CRSs, by the index's unit name. */
const EPSG_ANGULAR_UNIT_DEGREES: Readonly<Record<string, number>> = {
  degree: 1,
  'degree (supplier to define representation)': 1,
  grad: 0.9,
  radian: 180 / Math.PI,
};

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
 * resolved without reading the EPSG index (a test checks every zone against it). Null for any other CRS, or
 * when another GeoKey could change the meaning of the code.
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
      .map((k) => [
        k,
        ArrayBuffer.isView(keys[k]) ? Array.from(keys[k] as unknown as ArrayLike<number>) : keys[k],
      ]),
  );
}

function remember(id: string, crs: SceneCrs): void {
  if (resolved.has(id)) return;
  if (resolved.size >= MAX_RESOLVED) resolved.delete(resolved.keys().next().value as string);
  resolved.set(id, crs);
}

/**
 * The CRS the GeoKeys describe, as a proj4 definition that carries its datum's transformation to WGS 84 and
 * has east/north (lon/lat) axis order, because GeoTIFF model space is always x = easting/longitude whatever
 * the CRS's official axis order (south-oriented CRSs keep +axis=wsu: x = westing). A CRS that cannot be
 * placed within a couple of metres of where GDAL places it is refused, naming what is unsupported.
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
  // proj4 itself is needed anyway, to reproject the lines at the end: load it now, as the other paths do
  // to check their definition, while the workers are still starting, rather than last.
  if (utm) proj4();
  const crs = utm ?? (await crsFromGeoKeysWithoutFastPath(fileName, keys));
  remember(id, crs);
  return crs;
}

/** The CRS of the GeoKeys, never through the WGS 84 / UTM fast path (for its tests). */
export async function crsFromGeoKeysWithoutFastPath(
  fileName: string,
  keys: Record<string, unknown>,
): Promise<SceneCrs> {
  const geographic = keys.GTModelTypeGeoKey === MODEL_GEOGRAPHIC;
  const code = geographic ? keys.GeographicTypeGeoKey : keys.ProjectedCSTypeGeoKey;
  return isCode(code)
    ? epsgSceneCrs(fileName, keys, code, geographic)
    : userDefinedSceneCrs(fileName, keys, geographic, await geokeysToProj4());
}

/** Ellipsoids that epsg.io's definitions name through +datum (proj4's datum table). */
const DATUM_ELLIPSOIDS: Record<string, string> = { WGS84: 'WGS84', NAD83: 'GRS80', NAD27: 'clrk66' };

/**
 * A CRS identified by its EPSG code: the EPSG dataset's definition (through epsg-index), with the datum
 * transformation chosen from the EPSG dataset's (datum-shift.ts) rather than epsg.io's, whose +towgs84 has
 * the wrong sign for the rotations of coordinate-frame transformations (VN-2000: 0.5 m) and which names grid
 * files (+nadgrids) that proj4js cannot load. Only the keys GDAL lets override a code are read beside it:
 * GeogTOWGS84GeoKey, ProjLinearUnitsGeoKey and (for a geographic CRS) GeogAngularUnitsGeoKey.
 */
async function epsgSceneCrs(
  fileName: string,
  keys: Record<string, unknown>,
  code: number,
  geographic: boolean,
): Promise<SceneCrs> {
  const def = epsgCrs(code);
  const kind = geographic ? 'geographic' : 'projected';
  if (!def || def.kind !== kind) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: EPSG:${code} is not a ${kind} CRS of the EPSG dataset (unknown or deprecated code); ` +
        'reproject it, e.g. gdalwarp -t_srs EPSG:<current code>',
    );
  }
  const label = `EPSG:${code} (${def.name})`;
  const { params: all } = parseProj4(def.proj4);
  let params = withoutParams(all, 'type', 'wktext', 'towgs84', 'nadgrids', 'datum');
  const datum = param(all, 'datum');
  if (datum !== undefined) {
    const ellps = DATUM_ELLIPSOIDS[datum];
    if (!ellps)
      throw new TidemarkError('UNSUPPORTED', `${fileName}: ${label} names an unknown datum ${datum}`);
    params = withParam(params, 'ellps', ellps);
  }
  // EPSG:3857 and the like: spherical formulas applied to WGS 84 longitude and latitude (no datum shift).
  const sphericalOnWgs84 = param(all, 'nadgrids') === '@null';
  let towgs84 = towgs84Key(fileName, keys);
  if (!towgs84 && !sphericalOnWgs84) {
    const geographicCode = def.geographicCode ?? (await geographicCrsNamed(def.geographicName));
    const shift =
      geographicCode === null
        ? def.wgs84Ellipsoid
          ? ({ ok: true, towgs84: null, transformation: null } as const)
          : ({
              ok: false,
              reason: 'the EPSG dataset has no Helmert transformation from its datum to WGS 84',
            } as const)
        : await shiftToWgs84(geographicCode, def.areaOfUse, def.wgs84Ellipsoid);
    if (!shift.ok) {
      throw new TidemarkError(
        'UNSUPPORTED',
        `${fileName}: ${label} on datum ${def.datumName}: ${shift.reason}, ${PLACE_ON_WGS84_HINT}`,
      );
    }
    towgs84 = shift.towgs84;
  }
  params = [...withoutParams(params, 'no_defs'), ...towgs84Params(towgs84), ['no_defs', undefined]];
  const axis = param(params, 'axis');
  if (axis !== undefined && axis !== 'enu' && axis !== 'wsu') {
    throw new TidemarkError('UNSUPPORTED', `${fileName}: ${label} has axes ${axis}, which are not supported`);
  }
  if (geographic) {
    return checked(fileName, {
      epsg: code,
      proj4: formatProj4(params),
      crsUnits: 'degree',
      metresPerUnit: Number.NaN,
      // Without the key, the coordinates are in the CRS's own unit (grads for NTF (Paris), EPSG:4807).
      angularScale:
        keys.GeogAngularUnitsGeoKey === undefined && def.unit !== null && EPSG_ANGULAR_UNIT_DEGREES[def.unit]
          ? EPSG_ANGULAR_UNIT_DEGREES[def.unit]!
          : angularUnitDegrees(fileName, keys),
    });
  }
  // GDAL honours ProjLinearUnitsGeoKey over the code's own unit: so do we.
  const keyUnit = linearUnitMetres(fileName, keys);
  const defUnit = unitOf(fileName, params, label);
  if (keyUnit !== null && Math.abs(keyUnit / defUnit - 1) > 1e-9) {
    params = withoutParams(params, 'units', 'to_meter');
    params.splice(params.length - 1, 0, ['to_meter', String(keyUnit)]);
  }
  return checked(fileName, {
    epsg: code,
    proj4: formatProj4(params),
    crsUnits: 'metre',
    metresPerUnit: keyUnit ?? defUnit,
    angularScale: 1,
  });
}

/** Metres per unit of a proj4 definition (+to_meter or +units), as proj4js applies them. */
function unitOf(fileName: string, params: Proj4Params, label: string): number {
  const toMeter = param(params, 'to_meter');
  const units = param(params, 'units');
  const metres =
    toMeter !== undefined
      ? Number(toMeter)
      : units !== undefined
        ? (PROJ4_UNIT_METRES[units] ?? Number.NaN)
        : 1;
  if (!(metres > 0)) {
    throw new TidemarkError('UNSUPPORTED', `${fileName}: ${label} has an unknown unit (${units ?? toMeter})`);
  }
  return metres;
}

async function userDefinedSceneCrs(
  fileName: string,
  keys: Record<string, unknown>,
  geographic: boolean,
  geokeys: typeof geokeysToProj4Module,
): Promise<SceneCrs> {
  let converted: ReturnType<typeof geokeys.toProj4>;
  try {
    converted = geokeys.toProj4(keys as unknown as Parameters<typeof geokeys.toProj4>[0]);
  } catch (err) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: cannot interpret its GeoKeys (${(err as Error).message})`,
    );
  }
  const crs = userDefinedCrs(fileName, keys, geographic, converted);
  const towgs84 = towgs84Key(fileName, keys) ?? (await userDefinedDatum(fileName, keys, crs.params));
  const params = [...withoutParams(crs.params, 'no_defs'), ...towgs84Params(towgs84), ['no_defs', undefined]];
  return checked(fileName, {
    epsg: null,
    proj4: formatProj4(params as Proj4Params),
    crsUnits: geographic ? 'degree' : 'metre',
    metresPerUnit: crs.metresPerUnit,
    angularScale: crs.angularScale,
  });
}

/** The CRS once proj4 has accepted its definition. */
function checked(fileName: string, crs: SceneCrs): SceneCrs {
  try {
    proj4()(crs.proj4, 'EPSG:4326');
  } catch (err) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: its CRS (${crs.proj4}) is not supported by proj4 (${(err as Error).message})`,
    );
  }
  return crs;
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
