import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { decodeTile } from '../../test/support/decode-tile.ts';
import { encodeMvt, type Geometry3857, type TileLayer3857 } from './encode-mvt.ts';
import { WEB_MERCATOR_HALF_M } from './tile-coords.ts';

// Tile z1/x1/y0 is the north-east quarter of the world: x from 0 to H, y from 0 to H (H = half the world).
const H = WEB_MERCATOR_HALF_M;
const TILE = { z: 1, x: 1, y: 0 };
// A point at tile units (u, v), y down.
const at = (u: number, v: number): number[] => [(u / 4096) * H, H - (v / 4096) * H];

function layer(geometry: Geometry3857 | null, properties = {}, id = 7): TileLayer3857 {
  return { name: 'shorelines', features: [{ id, properties, geometry }] };
}

function only(bytes: Uint8Array | null) {
  expect(bytes).not.toBeNull();
  const features = decodeTile(bytes!).shorelines ?? [];
  expect(features).toHaveLength(1);
  return features[0]!;
}

describe('encodeMvt', () => {
  it('maps EPSG:3857 to tile units (y down) and keeps id and properties', () => {
    const f = only(
      encodeMvt(
        [
          layer(
            { type: 'LineString', coordinates: [at(1024, 2048), at(3072.4, 100.6)] },
            { year: 2020, site: 'ca-mau' },
          ),
        ],
        TILE,
      ),
    );
    expect(f.id).toBe(7);
    expect(f.type).toBe(2);
    expect(f.properties).toEqual({ year: 2020, site: 'ca-mau' });
    expect(f.geometry).toEqual([
      [
        [1024, 2048],
        [3072, 101],
      ],
    ]);
  });

  it('drops null properties, repeated points after snapping, and lines that collapse to a point', () => {
    const bytes = encodeMvt(
      [
        {
          name: 'shorelines',
          features: [
            {
              id: 1,
              properties: { scene_id: null, year: 2016 },
              geometry: { type: 'LineString', coordinates: [at(10, 10), at(10.2, 10.3), at(20, 10)] },
            },
            {
              id: 2,
              properties: {},
              geometry: { type: 'LineString', coordinates: [at(5, 5), at(5.3, 4.8)] },
            },
            { id: 3, properties: {}, geometry: null },
          ],
        },
      ],
      TILE,
    );
    const features = decodeTile(bytes!).shorelines!;
    expect(features.map((f) => f.id)).toEqual([1]);
    expect(features[0]!.properties).toEqual({ year: 2016 });
    expect(features[0]!.geometry).toEqual([
      [
        [10, 10],
        [20, 10],
      ],
    ]);
  });

  it('returns null for an empty tile', () => {
    expect(encodeMvt([], TILE)).toBeNull();
    expect(encodeMvt([layer(null)], TILE)).toBeNull();
    expect(encodeMvt([layer({ type: 'MultiLineString', coordinates: [] })], TILE)).toBeNull();
  });

  it('clips to the buffered tile and keeps each part of a MultiLineString', () => {
    const f = only(
      encodeMvt(
        [
          layer({
            type: 'MultiLineString',
            coordinates: [
              [at(-500, 100), at(100, 100)],
              [at(4000, 4000), at(4100, 4500)],
            ],
          }),
        ],
        TILE,
      ),
    );
    expect(f.geometry).toEqual([
      [
        [-64, 100],
        [100, 100],
      ],
      [
        [4000, 4000],
        [4032, 4160],
      ],
    ]);
  });

  it('orients polygon rings as MVT requires, whatever the input winding', () => {
    const square = (a: number, b: number) => [at(a, a), at(b, a), at(b, b), at(a, b), at(a, a)];
    for (const outer of [square(100, 1000), square(100, 1000).reverse()]) {
      const hole = square(400, 600);
      const f = only(encodeMvt([layer({ type: 'Polygon', coordinates: [outer, hole] })], TILE));
      expect(f.type).toBe(3);
      const bytes = encodeMvt([layer({ type: 'Polygon', coordinates: [outer, hole] })], TILE)!;
      const geojson = decodeGeoJson(bytes);
      expect(geojson.type).toBe('Polygon');
      expect((geojson as unknown as { coordinates: unknown[] }).coordinates).toHaveLength(2);
    }
  });

  it('encodes points, dropping duplicates, and flattens a collection to its first dimension', () => {
    const points = only(
      encodeMvt([layer({ type: 'MultiPoint', coordinates: [at(1, 1), at(1.2, 0.9), at(50, 60)] })], TILE),
    );
    expect(points.type).toBe(1);
    // @mapbox/vector-tile returns each point of a MultiPoint as its own one-point array.
    expect(points.geometry).toEqual([[[1, 1]], [[50, 60]]]);
    const mixed = only(
      encodeMvt(
        [
          layer({
            type: 'GeometryCollection',
            geometries: [
              { type: 'LineString', coordinates: [at(0, 0), at(10, 0)] },
              { type: 'Point', coordinates: at(5, 5) },
            ],
          }),
        ],
        TILE,
      ),
    );
    expect(mixed.type).toBe(2);
  });

  it('does not modify its input', () => {
    const input = [
      layer(
        { type: 'LineString', coordinates: [at(-500, 1), at(1.2, 1.2), at(1, 1), at(99, 99)] },
        { a: null },
      ),
    ];
    const before = JSON.stringify(input);
    encodeMvt(input, TILE);
    expect(JSON.stringify(input)).toBe(before);
  });
});

/** Decoded through @mapbox/vector-tile's own ring classification, as MapLibre reads polygons. */
function decodeGeoJson(bytes: Uint8Array): { type: string } {
  const tile = new VectorTile(new PbfReader(bytes));
  return tile.layers.shorelines!.feature(0).toGeoJSON(TILE.x, TILE.y, TILE.z).geometry;
}
