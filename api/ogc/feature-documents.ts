import type { FeaturePage, FeatureRecord } from '../../store/features/query-features.ts';
import type { ItemsQuery } from './items-query.ts';
import { MEDIA, type OgcLink } from './ogc-vocabulary.ts';

export interface GeoJsonFeature {
  type: 'Feature';
  id: number;
  geometry: FeatureRecord['geometry'];
  properties: Record<string, unknown>;
  links?: OgcLink[];
}

export interface GeoJsonFeatureCollection {
  type: 'FeatureCollection';
  timeStamp: string;
  numberMatched: number;
  numberReturned: number;
  features: GeoJsonFeature[];
  links: OgcLink[];
}

function toFeature(record: FeatureRecord): GeoJsonFeature {
  return { type: 'Feature', id: record.id, geometry: record.geometry, properties: record.properties };
}

function itemsUrl(baseUrl: string, collectionId: string, params: Record<string, string>): string {
  const search = new URLSearchParams(params).toString();
  return `${baseUrl}/collections/${encodeURIComponent(collectionId)}/items${search === '' ? '' : `?${search}`}`;
}

/**
 * The GeoJSON page of `/collections/{id}/items` (OGC API Features §7.15.5–7.15.7): the features, how many
 * matched and were returned, and self/next/prev links that keep the request's filters and effective limit.
 */
export function buildFeatureCollection(args: {
  baseUrl: string;
  collectionId: string;
  page: FeaturePage;
  query: ItemsQuery;
  timeStamp: Date;
}): GeoJsonFeatureCollection {
  const { baseUrl, collectionId, page, query } = args;
  const params = { ...query.linkParams, limit: String(query.limit) };
  const cursor: Record<string, string> = {};
  if (query.after !== undefined) cursor.after = String(query.after);
  if (query.before !== undefined) cursor.before = String(query.before);
  const links: OgcLink[] = [
    { href: itemsUrl(baseUrl, collectionId, { ...params, ...cursor }), rel: 'self', type: MEDIA.geojson },
  ];
  if (page.next !== null) {
    links.push({
      href: itemsUrl(baseUrl, collectionId, { ...params, after: String(page.next.after) }),
      rel: 'next',
      type: MEDIA.geojson,
      title: 'Next page',
    });
  }
  if (page.prev !== null) {
    links.push({
      href: itemsUrl(baseUrl, collectionId, { ...params, before: String(page.prev.before) }),
      rel: 'prev',
      type: MEDIA.geojson,
      title: 'Previous page',
    });
  }
  links.push({
    href: `${baseUrl}/collections/${encodeURIComponent(collectionId)}`,
    rel: 'collection',
    type: MEDIA.json,
  });
  return {
    type: 'FeatureCollection',
    timeStamp: args.timeStamp.toISOString(),
    numberMatched: page.numberMatched,
    numberReturned: page.features.length,
    features: page.features.map(toFeature),
    links,
  };
}

/** One feature of `/collections/{id}/items/{featureId}`, with its self and collection links. */
export function buildFeature(baseUrl: string, collectionId: string, record: FeatureRecord): GeoJsonFeature {
  const collectionUrl = `${baseUrl}/collections/${encodeURIComponent(collectionId)}`;
  return {
    ...toFeature(record),
    links: [
      { href: `${collectionUrl}/items/${record.id}`, rel: 'self', type: MEDIA.geojson },
      { href: collectionUrl, rel: 'collection', type: MEDIA.json },
    ],
  };
}
