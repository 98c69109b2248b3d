import { describe, expect, it } from 'vitest';
import { requireFeatureSource } from '../../store/features/feature-sources.ts';
import type { FeaturePage } from '../../store/features/query-features.ts';
import { buildFeature, buildFeatureCollection } from './feature-documents.ts';
import { parseItemsQuery } from './items-query.ts';

const BASE = 'http://example.org/ogc';
const info = requireFeatureSource('shorelines').info;
const record = {
  id: 7,
  geometry: {
    type: 'MultiLineString',
    coordinates: [
      [
        [104.7, 8.6],
        [104.71, 8.61],
      ],
    ],
  },
  properties: { site: 'ca-mau', year: 2020 },
};
const page = (next: FeaturePage['next'], prev: FeaturePage['prev']): FeaturePage => ({
  features: [record],
  numberMatched: 12,
  next,
  prev,
});

describe('buildFeatureCollection', () => {
  it('counts, and links next and prev with the request filters and the effective limit', () => {
    const query = parseItemsQuery(info, { site: 'ca-mau', bbox: '104,8,105,9', limit: '5000', after: '3' });
    const doc = buildFeatureCollection({
      baseUrl: BASE,
      collectionId: 'shorelines',
      page: page({ after: 7 }, { before: 7 }),
      query,
      timeStamp: new Date('2025-01-02T03:04:05Z'),
    });
    expect(doc).toMatchObject({ type: 'FeatureCollection', numberMatched: 12, numberReturned: 1 });
    expect(doc.timeStamp).toBe('2025-01-02T03:04:05.000Z');
    const href = (rel: string) => {
      const link = doc.links.find((l) => l.rel === rel);
      return link && new URL(link.href);
    };
    expect(href('self')?.searchParams.get('after')).toBe('3');
    expect(href('next')?.searchParams.get('after')).toBe('7');
    expect(href('prev')?.searchParams.get('before')).toBe('7');
    for (const rel of ['self', 'next', 'prev']) {
      const url = href(rel)!;
      expect(url.pathname).toBe('/ogc/collections/shorelines/items');
      expect(url.searchParams.get('site')).toBe('ca-mau');
      expect(url.searchParams.get('bbox')).toBe('104,8,105,9');
      expect(url.searchParams.get('limit')).toBe('1000');
      expect(doc.links.find((l) => l.rel === rel)?.type).toBe('application/geo+json');
    }
    expect(href('prev')?.searchParams.has('after')).toBe(false);
    expect(doc.features[0]).toEqual({ type: 'Feature', ...record });
  });

  it('has no next link on the last page and no prev link on the first', () => {
    const doc = buildFeatureCollection({
      baseUrl: BASE,
      collectionId: 'shorelines',
      page: page(null, null),
      query: parseItemsQuery(info, {}),
      timeStamp: new Date(),
    });
    expect(doc.links.map((l) => l.rel)).toEqual(['self', 'collection']);
  });
});

describe('buildFeature', () => {
  it('links the feature and its collection', () => {
    expect(buildFeature(BASE, 'shorelines', record).links).toEqual([
      { href: `${BASE}/collections/shorelines/items/7`, rel: 'self', type: 'application/geo+json' },
      { href: `${BASE}/collections/shorelines`, rel: 'collection', type: 'application/json' },
    ]);
  });
});
