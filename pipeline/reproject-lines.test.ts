import { describe, expect, it } from 'vitest';
import { fromWgs84, geojsonLines, reprojectLine, toWgs84 } from './reproject-lines.ts';

const UTM48N = '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs';

describe('reprojectLine', () => {
  it('projects UTM 48N to longitude/latitude (central meridian 105°E on the equator)', () => {
    const [p] = reprojectLine(Float64Array.of(500000, 0), toWgs84(UTM48N));
    expect(p![0]).toBeCloseTo(105, 9);
    expect(p![1]).toBeCloseTo(0, 9);
  });

  it('rounds to the requested decimals', () => {
    const identity = (x: number, y: number): [number, number] => [x, y];
    expect(reprojectLine(Float64Array.of(1.23456789012, 2.5), identity, 3)).toEqual([[1.235, 2.5]]);
  });

  it('fails loudly for a point that does not project', () => {
    const broken = (): [number, number] => [Number.NaN, 0];
    expect(() => reprojectLine(Float64Array.of(1, 2), broken)).toThrow(/does not project/);
  });

  it('leaves its input unchanged', () => {
    const line = Float64Array.of(500000, 1000000);
    reprojectLine(line, toWgs84(UTM48N));
    expect(Array.from(line)).toEqual([500000, 1000000]);
  });
});

describe('fromWgs84', () => {
  it('inverts toWgs84', () => {
    const [x, y] = fromWgs84(UTM48N)(105, 0);
    expect(x).toBeCloseTo(500000, 3);
    expect(y).toBeCloseTo(0, 3);
  });
});

describe('geojsonLines', () => {
  it('collects lines and polygon rings from collections, features and geometries, ignoring points', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'LineString',
            coordinates: [
              [1, 2],
              [3, 4],
            ],
          },
        },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [9, 9] } },
        {
          type: 'Feature',
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [0, 0],
                  [1, 0],
                  [0, 1],
                  [0, 0],
                ],
              ],
            ],
          },
        },
        {
          type: 'Feature',
          geometry: {
            type: 'GeometryCollection',
            geometries: [
              {
                type: 'MultiLineString',
                coordinates: [
                  [
                    [5, 5],
                    [6, 6],
                  ],
                ],
              },
            ],
          },
        },
      ],
    };
    const copy = JSON.stringify(fc);
    expect(geojsonLines(fc)).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [0, 0],
      ],
      [
        [5, 5],
        [6, 6],
      ],
    ]);
    expect(JSON.stringify(fc)).toBe(copy);
  });

  it('names malformed positions', () => {
    expect(() => geojsonLines({ type: 'LineString', coordinates: [[1, 'x']] })).toThrow(/position 0/);
    expect(geojsonLines(null)).toEqual([]);
  });
});
