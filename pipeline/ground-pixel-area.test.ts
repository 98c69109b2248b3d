import { describe, expect, it } from 'vitest';
import type { GeoTransform } from '../sources/scene-source.ts';
import { groundPixelAreaM2 } from './ground-pixel-area.ts';

const UTM48N = '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs';
const WEB_MERCATOR =
  '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

const scene = (proj4: string, geoTransform: GeoTransform) => ({
  width: 512,
  height: 512,
  proj4,
  geoTransform,
});

describe('groundPixelAreaM2', () => {
  it('gives 100 m² for a 10 m UTM pixel (within the projection’s scale factor)', () => {
    const area = groundPixelAreaM2(scene(UTM48N, [470000, 10, 0, 960000, 0, -10]));
    expect(Math.abs(area / 100 - 1)).toBeLessThan(2e-3);
  });

  it('measures Web Mercator pixels on the ground: 10 m at 52° N cover (10 cos 52°)² m²', () => {
    // y of 52° N in Web Mercator: R ln tan(45° + φ/2).
    const y = 6378137 * Math.log(Math.tan(Math.PI / 4 + (52 * Math.PI) / 360));
    const area = groundPixelAreaM2(scene(WEB_MERCATOR, [0, 10, 0, y + 2560, 0, -10]));
    expect(Math.abs(area / (10 * Math.cos((52 * Math.PI) / 180)) ** 2 - 1)).toBeLessThan(1e-2);
  });

  it('measures degree pixels on the ellipsoid', () => {
    // 1e-4° at the equator: 11.13 m east–west, 11.06 m north–south.
    const area = groundPixelAreaM2(scene(WGS84, [105, 1e-4, 0, 0.0256, 0, -1e-4]));
    expect(Math.abs(area / (11.132 * 11.057) - 1)).toBeLessThan(1e-3);
  });

  it('gives the same area for a rotated or mirrored transform', () => {
    const straight = groundPixelAreaM2(scene(UTM48N, [470000, 10, 0, 960000, 0, -10]));
    const c = 10 * Math.cos(Math.PI / 6);
    const s = 10 * Math.sin(Math.PI / 6);
    const rotated = groundPixelAreaM2(scene(UTM48N, [470000, c, -s, 960000, -s, -c]));
    const mirrored = groundPixelAreaM2(scene(UTM48N, [475120, -10, 0, 960000, 0, -10]));
    expect(Math.abs(rotated / straight - 1)).toBeLessThan(1e-4);
    expect(Math.abs(mirrored / straight - 1)).toBeLessThan(1e-4);
  });

  it('leaves its input unchanged', () => {
    const info = scene(UTM48N, [470000, 10, 0, 960000, 0, -10]);
    const copy = structuredClone(info);
    groundPixelAreaM2(info);
    expect(info).toEqual(copy);
  });
});
