import type { GeoTransform } from '../sources/scene-source.ts';

/**
 * Pixel-centre coordinates → CRS coordinates. The GDAL geotransform maps pixel *corners*: the corner of
 * pixel (col, row) is gt(col, row), so the centre of that pixel, where its value is sampled and where the
 * contour's pixel-centre coordinates place it, is gt(col + 0.5, row + 0.5).
 */
export function pixelCentreToCrs(gt: GeoTransform, col: number, row: number): [number, number] {
  const c = col + 0.5;
  const r = row + 0.5;
  return [gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5]];
}

/** CRS coordinates → pixel-centre coordinates (inverse of `pixelCentreToCrs`). */
export function crsToPixelCentre(gt: GeoTransform, x: number, y: number): [number, number] {
  const det = gt[1] * gt[5] - gt[2] * gt[4];
  if (det === 0) throw new RangeError('geotransform is singular');
  const dx = x - gt[0];
  const dy = y - gt[3];
  const c = (gt[5] * dx - gt[2] * dy) / det;
  const r = (-gt[4] * dx + gt[1] * dy) / det;
  return [c - 0.5, r - 0.5];
}

/** Maps x, y pairs from pixel-centre to CRS coordinates into a new array. */
export function pixelLineToCrs(gt: GeoTransform, coords: Float64Array): Float64Array {
  const out = new Float64Array(coords.length);
  for (let i = 0; i < coords.length; i += 2) {
    const c = coords[i]! + 0.5;
    const r = coords[i + 1]! + 0.5;
    out[i] = gt[0] + c * gt[1] + r * gt[2];
    out[i + 1] = gt[3] + c * gt[4] + r * gt[5];
  }
  return out;
}

/**
 * Whether the transform mirrors the image (the usual north-up case, with a negative pixel height, does:
 * rows go down while northing goes up). Used to keep a fixed orientation of lines in CRS space.
 */
export function geoTransformMirrors(gt: GeoTransform): boolean {
  return gt[1] * gt[5] - gt[2] * gt[4] < 0;
}
