/** WGS 84 semi-major axis (m) and first eccentricity squared. */
const WGS84_A = 6_378_137;
const WGS84_F = 1 / 298.257223563;
const WGS84_E2 = WGS84_F * (2 - WGS84_F);
const RAD = Math.PI / 180;

/**
 * Length in metres, on the WGS 84 ellipsoid, of a line of longitude/latitude pairs in degrees: the ground
 * length, whatever CRS the line was traced in (a length measured in Web Mercator, say, is 1.6× too long at
 * 52° N). Each segment is measured with the ellipsoid's meridional and prime-vertical radii of curvature at
 * its middle latitude; for segments of up to 10 km (a shoreline's are a few metres) that is within 3e-6 of
 * the geodesic length.
 */
export function geodesicLengthM(lonLat: Float64Array | readonly (readonly [number, number])[]): number {
  const flat = lonLat instanceof Float64Array;
  const n = flat ? lonLat.length / 2 : lonLat.length;
  let length = 0;
  let lon1 = flat ? lonLat[0]! : (lonLat[0]?.[0] ?? 0);
  let lat1 = flat ? lonLat[1]! : (lonLat[0]?.[1] ?? 0);
  for (let i = 1; i < n; i++) {
    const lon2 = flat ? lonLat[2 * i]! : lonLat[i]![0];
    const lat2 = flat ? lonLat[2 * i + 1]! : lonLat[i]![1];
    const sinMid = Math.sin(((lat1 + lat2) / 2) * RAD);
    const w2 = 1 - WGS84_E2 * sinMid * sinMid;
    const primeVertical = WGS84_A / Math.sqrt(w2);
    const meridional = (primeVertical * (1 - WGS84_E2)) / w2;
    // Longitude differences across the antimeridian take the short way round.
    const dLon = (((lon2 - lon1 + 540) % 360) - 180) * RAD;
    const north = meridional * (lat2 - lat1) * RAD;
    const east = primeVertical * Math.sqrt(1 - sinMid * sinMid) * dLon;
    length += Math.hypot(north, east);
    lon1 = lon2;
    lat1 = lat2;
  }
  return length;
}
