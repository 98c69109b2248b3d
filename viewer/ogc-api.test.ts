import { describe, expect, it } from 'vitest';
import { parseOgcPage } from './ogc-api.ts';

describe('parseOgcPage', () => {
  const feature = { type: 'Feature', id: 1, geometry: null, properties: { slug: 'ca-mau' } };

  it('keeps the next page as a path on our own origin', () => {
    const page = parseOgcPage({
      type: 'FeatureCollection',
      features: [feature],
      links: [
        { rel: 'self', href: 'http://proxy.example/ogc/collections/sites/items?limit=1' },
        { rel: 'next', href: 'http://proxy.example/ogc/collections/sites/items?limit=1&after=1' },
      ],
    });
    expect(page.features).toHaveLength(1);
    expect(page.next).toBe('ogc/collections/sites/items?limit=1&after=1');
    expect(parseOgcPage({ type: 'FeatureCollection', features: [] }).next).toBeNull();
  });

  it.each([
    ['not a collection', { type: 'Feature' }, 'not a GeoJSON FeatureCollection'],
    [
      'a feature that is not one',
      { type: 'FeatureCollection', features: [{ type: 'Point' }] },
      'feature 0 is not a Feature',
    ],
  ])('rejects %s', (_label, json, message) => {
    expect(() => parseOgcPage(json)).toThrow(message);
  });
});
