/** A closed ring of [lon, lat] positions, as GeoJSON polygons hold them. */
export type LonLatRing = [number, number][];

/** A closed square ring of `sizeDeg`, counter-clockwise (RFC 7946), with its south-west corner at (lon, lat). */
export function squareRing(lon: number, lat: number, sizeDeg: number): LonLatRing {
  return [
    [lon, lat],
    [lon + sizeDeg, lat],
    [lon + sizeDeg, lat + sizeDeg],
    [lon, lat + sizeDeg],
    [lon, lat],
  ];
}
