import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { mapCollection, readLineFeatures } from './read-line-features.ts';

const line = (coordinates: number[][], properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'LineString', coordinates },
});

describe('readLineFeatures', () => {
  it('reads LineString and MultiLineString features, a bare Feature and a bare geometry', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        line(
          [
            [105, 8.8],
            [105.01, 8.81],
          ],
          { date: '2020-01-01' },
        ),
        {
          type: 'Feature',
          properties: null,
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [105, 8],
                [105, 8.1],
              ],
              [
                [106, 8],
                [106, 8.1, 3],
              ],
            ],
          },
        },
      ],
    };
    const c = readLineFeatures(fc, 'a.geojson', 'shoreline');
    expect(c.epsg).toBe(4326);
    expect(c.features).toHaveLength(2);
    expect(c.features[1]!.lines).toHaveLength(2);
    expect(c.features[1]!.lines[1]![1]).toEqual([106, 8.1]);
    expect(c.features[0]!.properties.date).toBe('2020-01-01');
    expect(
      readLineFeatures(
        line([
          [1, 1],
          [2, 2],
        ]),
        'f',
        'baseline',
      ).features,
    ).toHaveLength(1);
    expect(
      readLineFeatures(
        {
          type: 'LineString',
          coordinates: [
            [1, 1],
            [2, 2],
          ],
        },
        'f',
        'baseline',
      ).features,
    ).toHaveLength(1);
  });

  it('accepts projected coordinates when the crs member declares them', () => {
    const fc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'EPSG:32648' } },
      features: [
        line([
          [500000, 972000],
          [500100, 972100],
        ]),
      ],
    };
    expect(readLineFeatures(fc, 'p.geojson', 'shoreline').epsg).toBe(32648);
  });

  it.each([
    ['not GeoJSON', 42, /not a GeoJSON object/],
    ['no features array', { type: 'FeatureCollection' }, /needs a 'features' array/],
    ['empty', { type: 'FeatureCollection', features: [] }, /has no features/],
    [
      'a point',
      { type: 'Point', coordinates: [1, 2] },
      /must be a LineString or MultiLineString, found Point/,
    ],
    [
      'a polygon feature',
      {
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
        },
      },
      /must be a LineString or MultiLineString, found Polygon/,
    ],
    ['a null geometry', { type: 'Feature', properties: {}, geometry: null }, /has no geometry/],
    ['a one-point line', line([[1, 1]]), /at least 2 positions/],
    [
      'a bad position',
      line([
        [1, 1],
        ['a', 2],
      ] as unknown as number[][]),
      /not a pair of finite numbers/,
    ],
    [
      'metres without a crs member',
      line([
        [500000, 972000],
        [500100, 972100],
      ]),
      /not longitude\/latitude degrees, but the file is in EPSG:4326/,
    ],
    [
      'degrees declared as UTM',
      {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:32648' } },
        features: [
          line([
            [105, 8.8],
            [105.01, 8.81],
          ]),
        ],
      },
      /declares EPSG:32648 \(metres\) but its coordinates look like longitude\/latitude degrees/,
    ],
    [
      'web mercator metres declared as UTM',
      {
        type: 'FeatureCollection',
        crs: { type: 'name', properties: { name: 'EPSG:32648' } },
        features: [
          line([
            [11688546, 983632],
            [11688646, 983732],
          ]),
        ],
      },
      /outside the range of EPSG:32648/,
    ],
  ])('rejects %s', (_name, json, message) => {
    expect(() => readLineFeatures(json, 'x.geojson', 'baseline')).toThrow(TidemarkError);
    expect(() => readLineFeatures(json, 'x.geojson', 'baseline')).toThrow(message);
  });

  it('maps positions into a new collection and leaves the input unchanged', () => {
    const json = line([
      [1, 1],
      [2, 2],
    ]);
    const copy = structuredClone(json);
    const c = readLineFeatures(json, 'f', 'baseline');
    const m = mapCollection(c, 3857, (p) => [p[0] * 10, p[1] * 10]);
    expect(m.features[0]!.lines[0]).toEqual([
      [10, 10],
      [20, 20],
    ]);
    expect(c.features[0]!.lines[0]).toEqual([
      [1, 1],
      [2, 2],
    ]);
    expect(json).toEqual(copy);
  });
});
