import type { StyleSpecification } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { mergeBasemap, parseBasemapStyleUrl } from './basemap.ts';

describe('parseBasemapStyleUrl', () => {
  it('takes an absolute http(s) URL', () => {
    expect(parseBasemapStyleUrl(' https://tiles.example.org/style.json ')).toBe(
      'https://tiles.example.org/style.json',
    );
    expect(parseBasemapStyleUrl('http://10.0.0.5/style.json')).toBe('http://10.0.0.5/style.json');
  });

  it.each([
    ['nothing', null],
    ['an empty meta', ''],
    ['a relative path', 'style.json'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:application/json,{}'],
  ])('means offline for %s', (_label, content) => {
    expect(parseBasemapStyleUrl(content)).toBeNull();
  });
});

describe('mergeBasemap', () => {
  const ours: StyleSpecification = {
    version: 8,
    name: 'Tidemark (offline)',
    sources: { sites: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    layers: [
      { id: 'background', type: 'background' },
      { id: 'site-area', type: 'fill', source: 'sites' },
      { id: 'sites-outline', type: 'line', source: 'sites' },
    ],
  };
  const basemap: StyleSpecification = {
    version: 8,
    name: 'Streets',
    glyphs: 'https://tiles.example.org/fonts/{fontstack}/{range}.pbf',
    sprite: 'https://tiles.example.org/sprite',
    sources: { sites: { type: 'vector', url: 'https://tiles.example.org/v.json' } },
    layers: [
      { id: 'background', type: 'background' },
      { id: 'water', type: 'fill', source: 'sites', 'source-layer': 'water' },
    ],
  };

  it('puts the basemap under our overlays, prefixing its ids so nothing collides', () => {
    const copies = structuredClone([ours, basemap]);
    const merged = mergeBasemap(ours, basemap);
    expect(merged.layers.map((l) => l.id)).toEqual(['basemap:background', 'basemap:water', 'sites-outline']);
    expect((merged.layers[1] as { source: string }).source).toBe('basemap:sites');
    expect(Object.keys(merged.sources).sort()).toEqual(['basemap:sites', 'sites']);
    expect(merged.glyphs).toBe(basemap.glyphs);
    expect(merged.sprite).toBe(basemap.sprite);
    expect([ours, basemap]).toEqual(copies);
  });

  it('refuses something that is not a MapLibre style', () => {
    expect(() => mergeBasemap(ours, { version: 7 } as unknown as StyleSpecification)).toThrow(
      'not a MapLibre style',
    );
  });
});
