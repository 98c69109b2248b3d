import { proj4 } from '../common/proj4.ts';

export type CoordinateMapper = (x: number, y: number) => [number, number];

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/** A mapper from the given CRS (proj4 definition) to EPSG:4326 longitude/latitude. */
export function toWgs84(fromProj4: string): CoordinateMapper {
  const converter = proj4()(fromProj4, WGS84);
  return (x, y) => {
    const out = converter.forward([x, y]);
    return [out[0]!, out[1]!];
  };
}

/**
 * Reprojects x, y pairs, rounding to `decimals` (9 decimals of a degree ≈ 0.1 mm: far below our error,
 * while keeping GeoJSON compact). Throws when a point does not project (outside the CRS's domain).
 */
export function reprojectLine(coords: Float64Array, map: CoordinateMapper, decimals = 9): [number, number][] {
  const scale = 10 ** decimals;
  const out: [number, number][] = [];
  for (let i = 0; i < coords.length; i += 2) {
    const [lon, lat] = map(coords[i]!, coords[i + 1]!);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new RangeError(`point (${coords[i]}, ${coords[i + 1]}) does not project to longitude/latitude`);
    }
    out.push([Math.round(lon * scale) / scale, Math.round(lat * scale) / scale]);
  }
  return out;
}

/** A mapper from EPSG:4326 longitude/latitude to the given CRS (proj4 definition). */
export function fromWgs84(toProj4: string): CoordinateMapper {
  const converter = proj4()(WGS84, toProj4);
  return (lon, lat) => {
    const out = converter.forward([lon, lat]);
    return [out[0]!, out[1]!];
  };
}

/**
 * The lines of a GeoJSON value (FeatureCollection, Feature or geometry): LineStrings, MultiLineStrings and
 * the rings of Polygons and MultiPolygons, as [lon, lat] arrays. Other geometries are ignored; malformed
 * coordinates throw a RangeError naming them.
 */
export function geojsonLines(value: unknown): [number, number][][] {
  const out: [number, number][][] = [];
  const line = (coords: unknown, where: string) => {
    if (!Array.isArray(coords)) throw new RangeError(`${where}: coordinates are not an array`);
    out.push(
      coords.map((p, i) => {
        if (
          !Array.isArray(p) ||
          typeof p[0] !== 'number' ||
          typeof p[1] !== 'number' ||
          !Number.isFinite(p[0]) ||
          !Number.isFinite(p[1])
        ) {
          throw new RangeError(`${where}: position ${i} is not [longitude, latitude]`);
        }
        if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          throw new RangeError(
            `${where}: position ${i} (${p[0]}, ${p[1]}) is not a longitude/latitude in degrees: GeoJSON is ` +
              'EPSG:4326 (RFC 7946); reproject it, e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson',
          );
        }
        return [p[0], p[1]] as [number, number];
      }),
    );
  };
  const visit = (g: unknown, where: string): void => {
    if (!g || typeof g !== 'object') return;
    const o = g as {
      type?: unknown;
      features?: unknown;
      geometry?: unknown;
      geometries?: unknown;
      coordinates?: unknown;
    };
    switch (o.type) {
      case 'FeatureCollection':
        if (Array.isArray(o.features)) for (const [i, f] of o.features.entries()) visit(f, `feature ${i}`);
        return;
      case 'Feature':
        visit(o.geometry, where);
        return;
      case 'GeometryCollection':
        if (Array.isArray(o.geometries)) for (const x of o.geometries) visit(x, where);
        return;
      case 'LineString':
        line(o.coordinates, where);
        return;
      case 'MultiLineString':
      case 'Polygon':
        if (Array.isArray(o.coordinates)) for (const c of o.coordinates) line(c, where);
        return;
      case 'MultiPolygon':
        if (Array.isArray(o.coordinates)) {
          for (const polygon of o.coordinates)
            if (Array.isArray(polygon)) for (const c of polygon) line(c, where);
        }
        return;
      default:
        return;
    }
  };
  visit(value, 'reference');
  return out;
}
