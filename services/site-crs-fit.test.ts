import { describe, expect, it } from 'vitest';
import { lonLatBoxOf, utmEpsgAt } from './site-crs-fit.ts';

describe('utmEpsgAt', () => {
  it.each([
    [104.73, 8.65, 32648],
    [105.0, -8.0, 32748],
    [-180, 10, 32601],
    [179.99, 10, 32660],
    [180, 10, 32601],
    [3, 51.5, 32631],
    [-0.1, 51.5, 32630],
  ])('%f°, %f° → EPSG:%i', (lon, lat, epsg) => {
    expect(utmEpsgAt(lon, lat)).toBe(epsg);
  });
});

describe('lonLatBoxOf', () => {
  it('spans every coordinate of lines and multilines, and is null without any', () => {
    expect(
      lonLatBoxOf([
        {
          geometry: {
            coordinates: [
              [104.7, 8.6],
              [104.8, 8.65],
            ],
          },
        },
        {
          geometry: {
            coordinates: [
              [
                [104.65, 8.7],
                [104.75, 8.55],
              ],
            ],
          },
        },
        { geometry: null },
      ]),
    ).toEqual([104.65, 8.55, 104.8, 8.7]);
    expect(lonLatBoxOf([])).toBeNull();
    expect(lonLatBoxOf([{ geometry: { coordinates: [] } }])).toBeNull();
  });
});
