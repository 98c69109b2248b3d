import { TidemarkError } from '../common/errors.ts';
import { geographicCrsOfDatum, PLACE_ON_WGS84_HINT, shiftToWgs84 } from './datum-shift.ts';
import { epsgCrs } from './epsg-definitions.ts';
import {
  ANGULAR_UNIT_DEGREES,
  LINEAR_UNIT_METRES,
  PRIME_MERIDIAN_DEGREES,
  type Proj4Params,
  param,
  parseProj4,
  withoutParams,
} from './proj4-params.ts';

const USER_DEFINED = 32767;

function isCode(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < USER_DEFINED;
}

/** What geotiff-geokeys-to-proj4's toProj4 returns, as far as we use it. */
export interface GeokeysConversion {
  proj4: string;
  isGCS: boolean;
}

/** A user-defined CRS as proj4 parameters, the datum left out (see scene-crs.ts), and its units. */
export interface UserDefinedCrs {
  params: Proj4Params;
  /** Metres per CRS unit (projected), NaN for geographic. */
  metresPerUnit: number;
  /** Degrees per file unit (geographic), 1 for projected. */
  angularScale: number;
}

/** Parameters that describe the ellipsoid, which we keep from geotiff-geokeys-to-proj4. */
const ELLIPSOID = ['ellps', 'a', 'b', 'rf', 'R'];
/** Parameters we set ourselves: datum, prime meridian, axes and units. */
const OURS = ['towgs84', 'datum', 'nadgrids', 'pm', 'axis', 'units', 'to_meter', 'no_defs', 'type'];

function unsupported(fileName: string, what: string): TidemarkError {
  return new TidemarkError('UNSUPPORTED', `${fileName}: ${what}`);
}

function num(keys: Record<string, unknown>, key: string): number | undefined {
  const v = keys[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Degrees per unit of the angles in the GeoKeys (GeogAngularUnitsGeoKey; degree when absent). */
export function angularUnitDegrees(fileName: string, keys: Record<string, unknown>): number {
  const code = num(keys, 'GeogAngularUnitsGeoKey') ?? 9102;
  if (code === USER_DEFINED) {
    const radians = num(keys, 'GeogAngularUnitSizeGeoKey');
    if (radians && radians > 0) return (radians * 180) / Math.PI;
  }
  const degrees = ANGULAR_UNIT_DEGREES[code];
  if (degrees === undefined) {
    throw unsupported(fileName, `its angular unit (GeogAngularUnitsGeoKey ${code}) is not supported`);
  }
  return degrees;
}

/** Metres per unit of the projected coordinates (ProjLinearUnitsGeoKey), or null when the key is absent. */
export function linearUnitMetres(fileName: string, keys: Record<string, unknown>): number | null {
  const code = num(keys, 'ProjLinearUnitsGeoKey');
  if (code === undefined) return null;
  if (code === USER_DEFINED) {
    const metres = num(keys, 'ProjLinearUnitSizeGeoKey');
    if (metres && metres > 0) return metres;
  }
  const metres = LINEAR_UNIT_METRES[code];
  if (metres === undefined) {
    throw unsupported(fileName, `its linear unit (ProjLinearUnitsGeoKey ${code}) is not supported`);
  }
  return metres;
}

/**
 * Prime meridian (degrees east of Greenwich) from GeogPrimeMeridianGeoKey or GeogPrimeMeridianLongGeoKey, else
 * the one the conversion took from an EPSG GeographicTypeGeoKey (NTF (Paris), 4807, say), else Greenwich.
 */
function primeMeridian(
  fileName: string,
  keys: Record<string, unknown>,
  degreesPerUnit: number,
  converted: Proj4Params,
): number {
  const code = num(keys, 'GeogPrimeMeridianGeoKey');
  if (code !== undefined && code !== USER_DEFINED) {
    const lon = PRIME_MERIDIAN_DEGREES[code];
    if (lon === undefined) {
      throw unsupported(fileName, `its prime meridian (GeogPrimeMeridianGeoKey ${code}) is not supported`);
    }
    return lon;
  }
  const long = num(keys, 'GeogPrimeMeridianLongGeoKey');
  if (long !== undefined) return long * degreesPerUnit;
  const fromCode = Number(converted.find(([k]) => k === 'pm')?.[1]);
  return Number.isFinite(fromCode) ? fromCode : 0;
}

/**
 * The user-defined CRS of the GeoKeys, from geotiff-geokeys-to-proj4's conversion with the projections it
 * gets wrong corrected (each checked against GDAL 3.6: see scene-crs.test.ts), those it cannot express built
 * here, and prime meridian and units taken from the keys. The datum is the caller's (datumParams).
 */
export function userDefinedCrs(
  fileName: string,
  keys: Record<string, unknown>,
  geographic: boolean,
  converted: GeokeysConversion,
): UserDefinedCrs {
  const { params: all } = parseProj4(converted.proj4);
  const degreesPerUnit = angularUnitDegrees(fileName, keys);
  const ellipsoid = all.filter(([k]) => ELLIPSOID.includes(k));
  const pm = primeMeridian(fileName, keys, degreesPerUnit, all);
  const meridian: Proj4Params = pm === 0 ? [] : [['pm', String(pm)]];
  if (geographic) {
    if (!converted.isGCS) throw unsupported(fileName, 'its geographic GeoKeys describe a projection');
    return {
      params: [['proj', 'longlat'], ...ellipsoid, ...meridian, ['no_defs', undefined]],
      metresPerUnit: Number.NaN,
      angularScale: degreesPerUnit,
    };
  }
  const metresPerUnit = linearUnitMetres(fileName, keys) ?? 1;
  const projection = projectionParams(fileName, keys, converted, degreesPerUnit, metresPerUnit);
  const units: Proj4Params = metresPerUnit === 1 ? [] : [['to_meter', String(metresPerUnit)]];
  return {
    params: [...projection, ...ellipsoid, ...meridian, ...units, ['no_defs', undefined]],
    metresPerUnit,
    angularScale: 1,
  };
}

/** GeoTIFF ProjCoordTransGeoKey values handled here rather than as geotiff-geokeys-to-proj4 does. */
const CT_OBLIQUE_MERCATOR = 3; // Hotine variant A (libgeotiff, GDAL)
const CT_MERCATOR = 7;
const CT_POLAR_STEREOGRAPHIC = 15;
const CT_TRANSVERSE_MERCATOR_SOUTH_ORIENTED = 27;
const HOTINE_VARIANT_A = 9812;
const HOTINE_VARIANT_B = 9815;

function projectionParams(
  fileName: string,
  keys: Record<string, unknown>,
  converted: GeokeysConversion,
  degreesPerUnit: number,
  metresPerUnit: number,
): Proj4Params {
  const method = num(keys, 'ProjCoordTransGeoKey');
  const angle = (key: string) => {
    const v = num(keys, key);
    return v === undefined ? undefined : v * degreesPerUnit;
  };
  const length = (key: string) => (num(keys, key) ?? 0) * metresPerUnit;
  if (method === CT_OBLIQUE_MERCATOR || method === HOTINE_VARIANT_A || method === HOTINE_VARIANT_B) {
    // Built here: geotiff-geokeys-to-proj4 gives variant A without its azimuth (every point NaN) and cannot
    // express variant B. In proj4, +no_uoff makes the false origin the natural origin (variant A).
    const lat = angle('ProjCenterLatGeoKey');
    const lon = angle('ProjCenterLongGeoKey');
    const azimuth = angle('ProjAzimuthAngleGeoKey');
    if (lat === undefined || lon === undefined || azimuth === undefined) {
      throw unsupported(
        fileName,
        'its Hotine oblique Mercator GeoKeys lack the centre latitude, longitude or azimuth',
      );
    }
    const variantB = method === HOTINE_VARIANT_B;
    return [
      ['proj', 'omerc'],
      ...(variantB ? [] : ([['no_uoff', undefined]] as Proj4Params)),
      ['lat_0', String(lat)],
      ['lonc', String(lon)],
      ['alpha', String(azimuth)],
      ['gamma', String(angle('ProjRectifiedGridAngleGeoKey') ?? azimuth)],
      ['k_0', String(num(keys, 'ProjScaleAtCenterGeoKey') ?? 1)],
      [
        'x_0',
        String(
          length(
            keys.ProjCenterEastingGeoKey !== undefined ? 'ProjCenterEastingGeoKey' : 'ProjFalseEastingGeoKey',
          ),
        ),
      ],
      [
        'y_0',
        String(
          length(
            keys.ProjCenterNorthingGeoKey !== undefined
              ? 'ProjCenterNorthingGeoKey'
              : 'ProjFalseNorthingGeoKey',
          ),
        ),
      ],
    ];
  }
  if (converted.isGCS) {
    // geotiff-geokeys-to-proj4 falls back to longitude/latitude for projections it cannot express.
    const name = COORD_TRANSFORMS[method ?? Number.NaN];
    throw unsupported(
      fileName,
      `its projection${name ? ` (${name})` : ''} cannot be converted to a proj4 definition`,
    );
  }
  const { params: all } = parseProj4(converted.proj4);
  let p = withoutParams(all, ...ELLIPSOID, ...OURS);
  if (method === CT_POLAR_STEREOGRAPHIC) {
    // GeoTIFF keeps one latitude: ±90 for variant A (with a scale factor), the latitude of true scale for
    // variant B. geotiff-geokeys-to-proj4 makes it the origin and drops the pole's longitude.
    const lat = angle('ProjNatOriginLatGeoKey') ?? 90;
    const scale = num(keys, 'ProjScaleAtNatOriginGeoKey') ?? 1;
    const lon = angle('ProjStraightVertPoleLongGeoKey') ?? angle('ProjNatOriginLongGeoKey') ?? 0;
    const variantA = Math.abs(lat) === 90;
    if (!variantA && scale !== 1) {
      throw unsupported(
        fileName,
        `its polar stereographic GeoKeys give both a latitude of true scale (${lat}) and a scale factor (${scale})`,
      );
    }
    p = withoutParams(p, 'lat_0', 'lat_ts', 'lon_0', 'k_0', 'k');
    p.splice(
      1,
      0,
      ['lat_0', lat < 0 ? '-90' : '90'],
      ...((variantA ? [['k_0', String(scale)]] : [['lat_ts', String(lat)]]) as Proj4Params),
      ['lon_0', String(lon)],
    );
  } else if (method === CT_MERCATOR && num(keys, 'ProjStdParallel1GeoKey') !== undefined) {
    // Mercator (2SP): its standard parallel is proj4's +lat_ts (geotiff-geokeys-to-proj4 writes +lat_1).
    const scale = num(keys, 'ProjScaleAtNatOriginGeoKey');
    if (scale !== undefined && scale !== 1) {
      throw unsupported(fileName, 'its Mercator GeoKeys give both a standard parallel and a scale factor');
    }
    p = withoutParams(p, 'lat_1', 'lat_ts', 'k_0', 'k');
    p.splice(1, 0, ['lat_ts', String(angle('ProjStdParallel1GeoKey'))]);
  } else if (method === CT_TRANSVERSE_MERCATOR_SOUTH_ORIENTED) {
    // Westing/southing axes. EPSG defines every such CRS with a zero false origin, and PROJ (so GDAL)
    // refuses any other: so do we.
    if (Number(param(p, 'x_0') ?? 0) !== 0 || Number(param(p, 'y_0') ?? 0) !== 0) {
      throw unsupported(
        fileName,
        'its south-oriented transverse Mercator has a false easting or northing, which is not supported',
      );
    }
    p.push(['axis', 'wsu']);
  }
  return p;
}

/** GeoTIFF ProjCoordTransGeoKey values, to name a projection method that cannot be handled. */
export const COORD_TRANSFORMS: Record<number, string> = {
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

/** The user-given GeogTOWGS84GeoKey (3 or 7 position-vector parameters, as in WKT1), if any. */
export function towgs84Key(fileName: string, keys: Record<string, unknown>): number[] | null {
  const v = keys.GeogTOWGS84GeoKey;
  if (v === undefined) return null;
  const values = typeof v === 'number' ? [v] : Array.from((v ?? []) as ArrayLike<unknown>, (x) => Number(x));
  if ((values.length !== 3 && values.length !== 7) || !values.every(Number.isFinite)) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName}: its GeogTOWGS84GeoKey (${values.join(', ')}) is not 3 or 7 numbers`,
    );
  }
  return values;
}

/**
 * The datum transformation of user-defined GeoKeys without GeogTOWGS84GeoKey: the EPSG dataset's for their
 * geographic CRS or datum code, else none when the ellipsoid is WGS 84's or GRS 1980's; any other datum is
 * of unknown offset from WGS 84 (often hundreds of metres) and is refused.
 */
export async function userDefinedDatum(
  fileName: string,
  keys: Record<string, unknown>,
  params: Proj4Params,
): Promise<number[] | null> {
  let geographicCode: number | null = isCode(keys.GeographicTypeGeoKey) ? keys.GeographicTypeGeoKey : null;
  if (geographicCode === null && isCode(keys.GeogGeodeticDatumGeoKey)) {
    geographicCode = await geographicCrsOfDatum(keys.GeogGeodeticDatumGeoKey);
  }
  const a = Number(param(params, 'a') ?? param(params, 'R'));
  const b = Number(param(params, 'b') ?? param(params, 'R'));
  const wgs84Ellipsoid = a === 6378137 && Math.abs(b - 6356752.3142) < 1e-3;
  if (geographicCode !== null) {
    const def = epsgCrs(geographicCode);
    const shift = await shiftToWgs84(
      geographicCode,
      def?.areaOfUse ?? null,
      def?.wgs84Ellipsoid ?? wgs84Ellipsoid,
    );
    if (!shift.ok) {
      throw new TidemarkError(
        'UNSUPPORTED',
        `${fileName}: its geographic CRS EPSG:${geographicCode}${def ? ` (${def.name})` : ''}: ${shift.reason}, ` +
          PLACE_ON_WGS84_HINT,
      );
    }
    return shift.towgs84;
  }
  if (wgs84Ellipsoid) return null;
  const datum = keys.GeogGeodeticDatumGeoKey;
  throw new TidemarkError(
    'UNSUPPORTED',
    `${fileName}: its datum is ${datum === undefined || datum === USER_DEFINED ? 'user-defined' : `EPSG datum ${String(datum)}, which has no transformation in the EPSG dataset,`} ` +
      `on a non-WGS 84 ellipsoid (a=${a}, b=${b}) with no GeogTOWGS84GeoKey, so its offset from WGS 84 is unknown`,
  );
}
