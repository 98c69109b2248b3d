/** A proj4 definition as its +key[=value] parameters, in order. */
export type Proj4Params = [key: string, value: string | undefined][];

/** The parameters of a proj4 definition; anything that is not a +parameter is returned apart, as `stray`. */
export function parseProj4(definition: string): { params: Proj4Params; stray: string[] } {
  const params: Proj4Params = [];
  const stray: string[] = [];
  for (const token of definition.trim().split(/\s+/)) {
    if (token === '') continue;
    if (!token.startsWith('+')) {
      stray.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    params.push(eq < 0 ? [token.slice(1), undefined] : [token.slice(1, eq), token.slice(eq + 1)]);
  }
  return { params, stray };
}

export function formatProj4(params: Proj4Params): string {
  const last = params.filter(([k]) => k === 'no_defs');
  return [...params.filter(([k]) => k !== 'no_defs'), ...last]
    .map(([k, v]) => (v === undefined ? `+${k}` : `+${k}=${v}`))
    .join(' ');
}

export function param(params: Proj4Params, key: string): string | undefined {
  return params.find(([k]) => k === key)?.[1];
}

export function hasParam(params: Proj4Params, key: string): boolean {
  return params.some(([k]) => k === key);
}

/** The parameters without those named. */
export function withoutParams(params: Proj4Params, ...keys: string[]): Proj4Params {
  return params.filter(([k]) => !keys.includes(k));
}

/** The parameters with `key` set to `value` (in place of any earlier value), or flagged when undefined. */
export function withParam(params: Proj4Params, key: string, value: string | number | undefined): Proj4Params {
  const v = value === undefined ? undefined : String(value);
  return hasParam(params, key)
    ? params.map(([k, old]) => (k === key ? [k, v] : [k, old]))
    : [...params, [key, v]];
}

/** The +towgs84 parameter of a datum shift; none for no shift (null or all zero: proj4 then moves nothing). */
export function towgs84Params(towgs84: number[] | null): Proj4Params {
  return towgs84?.some((v) => v !== 0) ? [['towgs84', towgs84.join(',')]] : [];
}

/** proj4's +units names in metres: proj4js's own table (lib/constants/units.js), so lengths match what it applies. */
export const PROJ4_UNIT_METRES: Record<string, number> = {
  m: 1,
  mm: 0.001,
  cm: 0.01,
  dm: 0.1,
  km: 1000,
  ft: 0.3048,
  'us-ft': 1200 / 3937,
  fath: 1.8288,
  kmi: 1852,
  'us-ch': 20.1168402336805,
  'us-mi': 1609.34721869444,
  'ind-ft': 0.30479841,
  'ind-yd': 0.91439523,
  'ind-ch': 20.11669506,
  mi: 1609.344,
  yd: 0.9144,
  ch: 20.1168,
  link: 0.201168,
  in: 0.0254,
  'us-in': 0.025400050800101,
  'us-yd': 0.914401828803658,
};

/** EPSG length units (GeoTIFF ProjLinearUnitsGeoKey values) in metres, from the EPSG dataset. */
export const LINEAR_UNIT_METRES: Record<number, number> = {
  9001: 1,
  9002: 0.3048,
  9003: 1200 / 3937,
  9005: 0.3047972654,
  9014: 1.8288,
  9030: 1852,
  9031: 1.0000135965,
  9033: 20.11684023368047,
  9034: 0.2011684023368047,
  9035: 1609.3472186944375,
  9036: 1000,
  9037: 0.9143917962,
  9038: 20.1166195164,
  9039: 0.201166195164,
  9040: 0.9143984146160287,
  9041: 0.3047994715386762,
  9042: 20.116765121552632,
  9043: 0.2011676512155263,
  9050: 0.9143992,
  9051: 0.3047997333333333,
  9052: 20.1167824,
  9053: 0.201167824,
  9060: 0.9143992042898124,
  9061: 0.30479973476327077,
  9062: 20.116782494375872,
  9063: 0.2011678249437587,
  9070: 0.30480083333333335,
  9080: 0.30479951024814694,
  9081: 0.30479841,
  9082: 0.3047996,
  9083: 0.3047995,
  9084: 0.9143985307444408,
  9085: 0.91439523,
  9086: 0.9143988,
  9087: 0.9143985,
  9093: 1609.344,
  9094: 0.3047997101815088,
  9095: 0.3048007491,
  9096: 0.9144,
  9097: 20.1168,
  9098: 0.201168,
  9099: 0.914398,
  9300: 0.30479933333333337,
  9301: 20.116756,
  9302: 0.20116756,
};

/** EPSG angle units (GeogAngularUnitsGeoKey values) in degrees, from the EPSG dataset. */
export const ANGULAR_UNIT_DEGREES: Record<number, number> = {
  9101: 180 / Math.PI,
  9102: 1,
  9103: 1 / 60,
  9104: 1 / 3600,
  9105: 0.9,
  9106: 0.9,
  9109: 180 / Math.PI / 1e6,
  9112: 0.009,
  9113: 0.00009,
  9114: 360 / 6400,
  9122: 1,
};

/** EPSG prime meridians (GeogPrimeMeridianGeoKey values): longitude east of Greenwich in degrees. */
export const PRIME_MERIDIAN_DEGREES: Record<number, number> = {
  8901: 0, // Greenwich
  8902: -9.131906111111112, // Lisbon
  8903: 2.33722917, // Paris
  8904: -74.08091666666667, // Bogota
  8905: -3.687375, // Madrid
  8906: 12.452333333333332, // Rome
  8907: 7.439583333333333, // Bern
  8908: 106.80771944444444, // Jakarta
  8909: -17.666666666666668, // Ferro
  8910: 4.367975, // Brussels
  8911: 18.05827777777778, // Stockholm
  8912: 23.7163375, // Athens
  8913: 10.722916666666666, // Oslo
  8914: 2.3372083333333333, // Paris RGS
};
