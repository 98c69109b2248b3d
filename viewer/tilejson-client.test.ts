import { describe, expect, it } from 'vitest';
import { parseTileJson, tileJsonUrl } from './tilejson-client.ts';

const valid = {
  tilejson: '3.0.0',
  tiles: ['http://h/tiles/shorelines/{z}/{x}/{y}.mvt'],
  minzoom: 0,
  maxzoom: 16,
  bounds: [104.7, 8.5, 105, 8.8],
  'tidemark:years': { min: 2016, max: 2025 },
};

describe('parseTileJson', () => {
  it('reads the fields the viewer uses', () => {
    expect(parseTileJson(valid)).toEqual({
      tiles: valid.tiles,
      minzoom: 0,
      maxzoom: 16,
      bounds: [104.7, 8.5, 105, 8.8],
      years: { min: 2016, max: 2025 },
    });
    const { 'tidemark:years': _omit, ...withoutYears } = valid;
    expect(parseTileJson(withoutYears).years).toBeNull();
  });

  it.each([
    ['not an object', 'x', 'not an object'],
    ['no tiles', { ...valid, tiles: [] }, 'no tile URLs'],
    ['no zooms', { ...valid, minzoom: '0' }, 'zooms'],
    ['short bounds', { ...valid, bounds: [1, 2, 3] }, 'bounds'],
    ['NaN bounds', { ...valid, bounds: [1, 2, 3, Number.NaN] }, 'bounds'],
  ])('rejects %s', (_label, json, message) => {
    expect(() => parseTileJson(json)).toThrow(message);
  });
});

describe('tileJsonUrl', () => {
  it('asks for one site when one is chosen, and for all sites otherwise', () => {
    expect(tileJsonUrl('transects', 'ca-mau', 'http://h/viewer/')).toBe(
      'http://h/viewer/tiles/transects.json?site=ca-mau',
    );
    expect(tileJsonUrl('transects', null, 'http://h/viewer/')).toBe('http://h/viewer/tiles/transects.json');
  });

  it('encodes the site as a query value', () => {
    expect(tileJsonUrl('zones', 'a&b=c', 'http://h/')).toBe('http://h/tiles/zones.json?site=a%26b%3Dc');
  });
});
