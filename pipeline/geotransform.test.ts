import { describe, expect, it } from 'vitest';
import type { GeoTransform } from '../sources/scene-source.ts';
import { crsToPixelCentre, geoTransformMirrors, pixelCentreToCrs, pixelLineToCrs } from './geotransform.ts';

const northUp: GeoTransform = [470000, 10, 0, 960000, 0, -10];

describe('geotransform', () => {
  it('places pixel-centre coordinates half a pixel inside the corner-based transform', () => {
    expect(pixelCentreToCrs(northUp, 0, 0)).toEqual([470005, 959995]);
    expect(pixelCentreToCrs(northUp, 9.5, 0)).toEqual([470100, 959995]);
  });

  it('handles rotated transforms and inverts exactly', () => {
    const rotated: GeoTransform = [1000, 8, 6, 2000, 6, -8];
    const [x, y] = pixelCentreToCrs(rotated, 3.25, 7.5);
    const [c, r] = crsToPixelCentre(rotated, x, y);
    expect(c).toBeCloseTo(3.25, 9);
    expect(r).toBeCloseTo(7.5, 9);
    expect(() => crsToPixelCentre([0, 1, 1, 0, 1, 1], 0, 0)).toThrow(/singular/);
  });

  it('maps whole lines and leaves the input unchanged', () => {
    const line = Float64Array.of(0, 0, 1, 2);
    const out = pixelLineToCrs(northUp, line);
    expect(Array.from(out)).toEqual([470005, 959995, 470015, 959975]);
    expect(Array.from(line)).toEqual([0, 0, 1, 2]);
  });

  it('knows that north-up images are mirrored relative to map axes', () => {
    expect(geoTransformMirrors(northUp)).toBe(true);
    expect(geoTransformMirrors([0, 10, 0, 0, 0, 10])).toBe(false);
  });
});
