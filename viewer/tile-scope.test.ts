import { describe, expect, it } from 'vitest';
import { overlayAvailability, type TileScope } from './tile-scope.ts';
import type { ViewerTileJson } from './tilejson-client.ts';

const tileJson = (layer: string, years: ViewerTileJson['years'] = null): ViewerTileJson => ({
  tiles: [`http://h/tiles/${layer}/{z}/{x}/{y}.mvt?site=ca-mau`],
  minzoom: 0,
  maxzoom: 18,
  bounds: [104.7, 8.5, 105, 8.8],
  years,
});

const everyLayer = (): TileScope['tileJsons'] => ({
  hazard: tileJson('hazard'),
  change: tileJson('change'),
  zones: tileJson('zones'),
  forecasts: tileJson('forecasts'),
  shorelines: tileJson('shorelines', { min: 2016, max: 2025 }),
  transects: tileJson('transects'),
});

describe('overlayAvailability', () => {
  it('makes every tile overlay of a scope with data available, and says nothing of the site outlines', () => {
    const availability = overlayAvailability({ tileJsons: everyLayer(), failures: new Map() });
    expect([...availability.keys()].sort()).toEqual(
      ['change', 'forecasts', 'hazard', 'shorelines', 'transects', 'zones'].sort(),
    );
    expect([...availability.values()].every((reason) => reason === null)).toBe(true);
  });

  it('gives the reason of a failed TileJSON, and disables shorelines when the scope has none yet', () => {
    const { hazard: _hazard, ...tileJsons } = everyLayer();
    tileJsons.shorelines = tileJson('shorelines', null);
    const failures = new Map([['hazard' as const, 'not served by this server']]);
    const availability = overlayAvailability({ tileJsons, failures });
    expect(availability.get('hazard')).toBe('not served by this server');
    expect(availability.get('shorelines')).toBe('no shorelines stored yet');
    expect(availability.get('transects')).toBeNull();
  });

  it('leaves its input unchanged', () => {
    const scope = { tileJsons: everyLayer(), failures: new Map([['zones' as const, '500 Internal']]) };
    const before = structuredClone(scope);
    overlayAvailability(scope);
    expect(scope).toEqual(before);
  });
});
