import { describe, expect, it } from 'vitest';
import { defineTileLayer, type LayerExtent } from './tile-layer.ts';
import { buildTileJson } from './tilejson.ts';

const layer = defineTileLayer<Record<string, never>>({
  id: 'shorelines',
  name: 'Shorelines',
  description: 'lines',
  minzoom: 0,
  maxzoom: 16,
  fields: { year: 'Number', date: 'String' },
  parseQuery: () => ({}),
  toQueryString: () => '',
  getTile: async () => null,
  getExtent: async () => null,
  dataVersion: async () => '1',
});

describe('buildTileJson', () => {
  const extent: LayerExtent = { bounds: [104.7, 8.55, 104.95, 8.75], years: { min: 2016, max: 2025 } };

  it('builds TileJSON 3.0.0 with absolute URLs carrying the filter', () => {
    const json = buildTileJson({
      layer,
      extent,
      baseUrl: 'http://example.test:8080',
      queryString: '?site=ca-mau',
    });
    expect(json.tilejson).toBe('3.0.0');
    expect(json.tiles).toEqual(['http://example.test:8080/tiles/shorelines/{z}/{x}/{y}.mvt?site=ca-mau']);
    expect(json.bounds).toEqual([104.7, 8.55, 104.95, 8.75]);
    expect(json.vector_layers).toEqual([
      {
        id: 'shorelines',
        description: 'lines',
        minzoom: 0,
        maxzoom: 16,
        fields: { year: 'Number', date: 'String' },
      },
    ]);
    expect(json['tidemark:years']).toEqual({ min: 2016, max: 2025 });
  });

  it('centres on the data at a zoom that fits it', () => {
    const json = buildTileJson({ layer, extent, baseUrl: 'http://h', queryString: '' });
    expect(json.center[0]).toBeCloseTo(104.825, 6);
    expect(json.center[1]).toBeCloseTo(8.65, 6);
    // 0.25° wide: 360/0.25 = 1440 ≈ 2^10.5, so zoom 10 fits and 11 does not.
    expect(json.center[2]).toBe(10);
  });

  it('announces the whole world and no years when there is no data', () => {
    const json = buildTileJson({ layer, extent: null, baseUrl: 'http://h', queryString: '' });
    expect(json.bounds).toEqual([-180, -85.0511, 180, 85.0511]);
    expect(json['tidemark:years']).toBeUndefined();
    expect(json.center[2]).toBe(0);
  });

  it('does not modify the extent or the layer', () => {
    const copy = structuredClone(extent);
    const fields = structuredClone(layer.fields);
    const json = buildTileJson({ layer, extent, baseUrl: 'http://h', queryString: '' });
    json.bounds[0] = 0;
    json.vector_layers[0]!.fields.extra = 'String';
    json['tidemark:years']!.min = 0;
    expect(extent).toEqual(copy);
    expect(layer.fields).toEqual(fields);
  });
});
