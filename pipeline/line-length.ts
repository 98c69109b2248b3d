/** Mean Earth radius (IUGG), metres: the usual haversine radius. */
const EARTH_RADIUS_M = 6_371_008.8;

/** Planar length of x, y pairs in CRS units. */
export function planarLength(coords: Float64Array): number {
  let length = 0;
  for (let i = 2; i < coords.length; i += 2) {
    length += Math.hypot(coords[i]! - coords[i - 2]!, coords[i + 1]! - coords[i - 1]!);
  }
  return length;
}

/** Great-circle (haversine) length in metres of longitude/latitude pairs in degrees. */
export function geodesicLengthM(lonLat: Float64Array | readonly (readonly [number, number])[]): number {
  const get = (i: number): [number, number] => {
    if (lonLat instanceof Float64Array) return [lonLat[2 * i]!, lonLat[2 * i + 1]!];
    const p = lonLat[i]!;
    return [p[0], p[1]];
  };
  const n = lonLat instanceof Float64Array ? lonLat.length / 2 : lonLat.length;
  const rad = Math.PI / 180;
  let length = 0;
  for (let i = 1; i < n; i++) {
    const [lon1, lat1] = get(i - 1);
    const [lon2, lat2] = get(i);
    const dLat = (lat2 - lat1) * rad;
    const dLon = (lon2 - lon1) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
    length += 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  return length;
}

/**
 * Length in metres of a line given in CRS coordinates: planar × metres-per-unit for a projected CRS (the
 * CRS's own metric, as analysts measure in it), geodesic for a geographic one.
 */
export function lineLengthM(
  crsCoords: Float64Array,
  crs: { crsUnits: 'metre' | 'degree' | 'other'; metresPerUnit: number },
): number {
  if (crs.crsUnits === 'degree') return geodesicLengthM(crsCoords);
  return planarLength(crsCoords) * crs.metresPerUnit;
}
