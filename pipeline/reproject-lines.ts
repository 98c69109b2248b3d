import proj4 from 'proj4';

export type CoordinateMapper = (x: number, y: number) => [number, number];

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/** A mapper from the given CRS (proj4 definition) to EPSG:4326 longitude/latitude. */
export function toWgs84(fromProj4: string): CoordinateMapper {
  const converter = proj4(fromProj4, WGS84);
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
