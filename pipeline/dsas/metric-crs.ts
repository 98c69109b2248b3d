import { TidemarkError } from '../../common/errors.ts';
import { proj4 } from '../../common/proj4.ts';
import type { XY } from './types.ts';

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';
// VN-2000 (the Vietnamese national datum) to WGS84, as published with EPSG:3405/3406.
const VN2000_TOWGS84 =
  '+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278';

/** The WGS84 UTM zone EPSG code (326zz north, 327zz south) for a longitude/latitude. */
export function utmEpsgForLonLat(lon: number, lat: number): number {
  const zone = Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
  return (lat >= 0 ? 32600 : 32700) + zone;
}

/** Whether the CRS has degrees (longitude/latitude) as coordinates. */
export function isGeographicEpsg(epsg: number): boolean {
  return epsg === 4326 || epsg === 4269 || epsg === 4756;
}

/**
 * The proj4 definition of the CRSs this module knows without a database: WGS84 (4326), Web Mercator
 * (3857), WGS84 UTM zones (32601–32660, 32701–32760) and VN-2000 UTM 48N/49N (3405, 3406). Others are
 * UNSUPPORTED (the server path reads definitions from PostGIS' spatial_ref_sys instead).
 */
export function proj4Definition(epsg: number): string {
  if (epsg === 4326) return WGS84;
  if (epsg === 3857) {
    return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
  }
  if ((epsg > 32600 && epsg <= 32660) || (epsg > 32700 && epsg <= 32760)) {
    const south = epsg > 32700 ? ' +south' : '';
    return `+proj=utm +zone=${epsg % 100}${south} +datum=WGS84 +units=m +no_defs`;
  }
  if (epsg === 3405 || epsg === 3406) {
    return `+proj=utm +zone=${epsg === 3405 ? 48 : 49} +ellps=WGS84 ${VN2000_TOWGS84} +units=m +no_defs`;
  }
  throw new TidemarkError(
    'UNSUPPORTED',
    `EPSG:${epsg} is not supported here; use EPSG:4326, a WGS84 UTM zone (326xx/327xx), 3405/3406 or 3857`,
    { details: { epsg } },
  );
}

/** Converts between a CRS and WGS84 longitude/latitude. */
export interface Projector {
  readonly epsg: number;
  fromLonLat(p: XY): XY;
  toLonLat(p: XY): XY;
}

export function createProjector(epsg: number): Projector {
  const def = proj4Definition(epsg);
  if (epsg === 4326) return { epsg, fromLonLat: (p) => p, toLonLat: (p) => p };
  const converter = proj4()(WGS84, def);
  return {
    epsg,
    fromLonLat: (p) => {
      const [x, y] = converter.forward([p[0], p[1]]);
      return [x!, y!];
    },
    toLonLat: (p) => {
      const [x, y] = converter.inverse([p[0], p[1]]);
      return [x!, y!];
    },
  };
}

/**
 * Reads the EPSG code of a GeoJSON `crs` member (the 2008 form: `{"type": "name", "properties": {"name":
 * "EPSG:32648"}}`, or an OGC URN). No member means EPSG:4326, as RFC 7946 says. CRS84 is 4326.
 */
export function epsgOfCrsMember(crs: unknown, source: string): number {
  if (crs === undefined || crs === null) return 4326;
  const name =
    typeof crs === 'object' && 'properties' in crs && crs.properties && typeof crs.properties === 'object'
      ? (crs.properties as { name?: unknown }).name
      : undefined;
  if (typeof name !== 'string') {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${source}: the 'crs' member has no name (expected e.g. "EPSG:32648")`,
    );
  }
  if (/CRS84$/i.test(name)) return 4326;
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name);
  if (!m) throw new TidemarkError('INVALID_INPUT', `${source}: cannot read the CRS name '${name}'`);
  return Number(m[1]);
}
