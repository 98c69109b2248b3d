import { TidemarkError } from '../../common/errors.ts';
import { epsgOfCrsMember, isGeographicEpsg } from './metric-crs.ts';
import type { LineXY, XY } from './types.ts';

/** One GeoJSON feature whose geometry is a LineString or MultiLineString. */
export interface LineFeature {
  /** 0-based position of the feature in its file. */
  readonly index: number;
  readonly lines: LineXY[];
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The line features of one GeoJSON document, in the CRS it declares. */
export interface LineCollection {
  /** Where it came from (a file name), for error messages. */
  readonly source: string;
  readonly epsg: number;
  readonly features: readonly LineFeature[];
}

/**
 * Reads a parsed GeoJSON document (FeatureCollection, Feature or bare geometry) whose geometries must all
 * be LineString or MultiLineString, and checks that its coordinates fit the CRS it declares. `what` names
 * the role in messages ("baseline", "shoreline", "transects").
 */
export function readLineFeatures(json: unknown, source: string, what: string): LineCollection {
  if (!isObject(json) || typeof json.type !== 'string') {
    throw new TidemarkError('INVALID_INPUT', `${source}: not a GeoJSON object (no 'type' member)`);
  }
  const epsg = epsgOfCrsMember(json.crs, source);
  let rawFeatures: unknown[];
  if (json.type === 'FeatureCollection') {
    if (!Array.isArray(json.features)) {
      throw new TidemarkError('INVALID_INPUT', `${source}: a FeatureCollection needs a 'features' array`);
    }
    rawFeatures = json.features;
  } else if (json.type === 'Feature') {
    rawFeatures = [json];
  } else {
    rawFeatures = [{ type: 'Feature', geometry: json, properties: {} }];
  }
  if (rawFeatures.length === 0)
    throw new TidemarkError('INVALID_INPUT', `${source}: the ${what} file has no features`);
  const features = rawFeatures.map((f, index): LineFeature => {
    const where = rawFeatures.length > 1 ? `${source} (feature ${index + 1})` : source;
    if (!isObject(f) || f.type !== 'Feature')
      throw new TidemarkError('INVALID_INPUT', `${where}: not a GeoJSON Feature`);
    const properties = isObject(f.properties) ? f.properties : {};
    return { index, lines: linesOf(f.geometry, where, what), properties };
  });
  const collection = { source, epsg, features };
  checkCoordinatesFitCrs(collection);
  return collection;
}

function linesOf(geometry: unknown, where: string, what: string): LineXY[] {
  if (!isObject(geometry)) throw new TidemarkError('INVALID_INPUT', `${where}: the ${what} has no geometry`);
  let parts: unknown[];
  if (geometry.type === 'LineString') parts = [geometry.coordinates];
  else if (geometry.type === 'MultiLineString' && Array.isArray(geometry.coordinates))
    parts = geometry.coordinates;
  else {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${where}: the ${what} must be a LineString or MultiLineString, found ${String(geometry.type)}`,
      { details: { geometryType: geometry.type } },
    );
  }
  return parts.map((part) => {
    if (!Array.isArray(part) || part.length < 2) {
      throw new TidemarkError('INVALID_INPUT', `${where}: each ${what} line needs at least 2 positions`);
    }
    return part.map((pos): XY => {
      if (!Array.isArray(pos) || pos.length < 2 || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) {
        throw new TidemarkError('INVALID_INPUT', `${where}: a position is not a pair of finite numbers`);
      }
      return [pos[0] as number, pos[1] as number];
    });
  });
}

/**
 * A file whose coordinates cannot be in the CRS it declares is an error, not something to guess about:
 * degrees need |x| ≤ 180 and |y| ≤ 90; metres of a projected CRS that all fit in that box are almost surely
 * degrees; UTM eastings lie in 0–1,000,000 m and northings in 0–10,000,000 m.
 */
export function checkCoordinatesFitCrs(collection: LineCollection): void {
  const { source, epsg } = collection;
  let outsideDegrees: XY | null = null;
  let allInsideDegrees = true;
  let outsideUtm: XY | null = null;
  const utm = (epsg > 32600 && epsg <= 32760) || epsg === 3405 || epsg === 3406;
  for (const f of collection.features) {
    for (const line of f.lines) {
      for (const p of line) {
        const inDegrees = Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
        if (!inDegrees && outsideDegrees === null) outsideDegrees = p;
        if (!inDegrees) allInsideDegrees = false;
        if (utm && outsideUtm === null && (p[0] < 0 || p[0] > 1_000_000 || p[1] < 0 || p[1] > 10_000_000)) {
          outsideUtm = p;
        }
      }
    }
  }
  if (isGeographicEpsg(epsg)) {
    if (outsideDegrees) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `${source}: coordinates such as (${outsideDegrees[0]}, ${outsideDegrees[1]}) are not longitude/latitude ` +
          `degrees, but the file is in EPSG:${epsg} (GeoJSON without a 'crs' member is EPSG:4326); ` +
          `reproject it or declare its CRS`,
        { details: { epsg } },
      );
    }
    return;
  }
  if (allInsideDegrees) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${source}: the file declares EPSG:${epsg} (metres) but its coordinates look like longitude/latitude degrees`,
      { details: { epsg } },
    );
  }
  if (outsideUtm) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${source}: coordinates such as (${outsideUtm[0]}, ${outsideUtm[1]}) are outside the range of EPSG:${epsg}`,
      { details: { epsg } },
    );
  }
}

/** The same collection with every position mapped (e.g. reprojected). */
export function mapCollection(collection: LineCollection, epsg: number, map: (p: XY) => XY): LineCollection {
  return {
    source: collection.source,
    epsg,
    features: collection.features.map((f) => ({ ...f, lines: f.lines.map((line) => line.map(map)) })),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
