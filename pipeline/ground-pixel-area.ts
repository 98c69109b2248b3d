import type { SceneInfo } from '../sources/scene-source.ts';
import { pixelCentreToCrs } from './geotransform.ts';
import { geodesicLengthM } from './line-length.ts';
import { toWgs84 } from './reproject-lines.ts';

/**
 * Ground area in square metres, on the WGS 84 ellipsoid, of the scene's centre pixel: the area a pixel
 * count stands for, whatever the CRS (in degrees, in feet, or Web Mercator, whose pixels cover 2.6× less
 * ground than their nominal size at 52° N). The pixel is the parallelogram of its two sides, measured
 * geodesically, and its diagonal (Heron's formula, twice), so rotated and sheared transforms count too.
 */
export function groundPixelAreaM2(
  info: Pick<SceneInfo, 'width' | 'height' | 'geoTransform' | 'proj4'>,
): number {
  const toLonLat = toWgs84(info.proj4);
  const col = Math.floor(info.width / 2);
  const row = Math.floor(info.height / 2);
  const at = (c: number, r: number) => toLonLat(...pixelCentreToCrs(info.geoTransform, c, r));
  const o = at(col, row);
  const across = at(col + 1, row);
  const down = at(col, row + 1);
  const a = geodesicLengthM([o, across]);
  const b = geodesicLengthM([o, down]);
  const c = geodesicLengthM([across, down]);
  const s = (a + b + c) / 2;
  return 2 * Math.sqrt(Math.max(0, s * (s - a) * (s - b) * (s - c)));
}
