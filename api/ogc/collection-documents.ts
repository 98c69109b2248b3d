import type { CollectionExtent } from '../../store/features/collection-extent.ts';
import type { FeatureCollectionInfo } from '../../store/features/feature-source.ts';
import { SCHEMA_MEDIA_TYPE } from './feature-schema.ts';
import { CRS84, MEDIA, type OgcLink, TRS_GREGORIAN } from './ogc-vocabulary.ts';

export interface CollectionDocument {
  id: string;
  title: string;
  description: string;
  links: OgcLink[];
  extent?: {
    spatial?: { bbox: [number, number, number, number][]; crs: string };
    temporal?: { interval: [string | null, string | null][]; trs: string };
  };
  itemType: 'feature';
  crs: string[];
}

/** `/collections/{id}` (OGC API Features §7.14): metadata with links and the extent of the data. */
export function buildCollection(
  info: FeatureCollectionInfo,
  extent: CollectionExtent,
  baseUrl: string,
): CollectionDocument {
  const url = `${baseUrl}/collections/${encodeURIComponent(info.id)}`;
  const doc: CollectionDocument = {
    id: info.id,
    title: info.title,
    description: info.description,
    links: [
      { href: url, rel: 'self', type: MEDIA.json, title: info.title },
      { href: `${url}/items`, rel: 'items', type: MEDIA.geojson, title: `${info.title} (GeoJSON)` },
      // Relation names are case-insensitive (RFC 8288 §2.1.1); GDAL's OAPIF driver matches this spelling.
      {
        href: `${url}/schema`,
        rel: 'describedBy',
        type: SCHEMA_MEDIA_TYPE,
        title: `${info.title} (JSON Schema)`,
      },
    ],
    itemType: 'feature',
    crs: [CRS84],
  };
  // An empty collection has no extent: stating a made-up one would mislead clients that zoom to it.
  if (extent.bbox !== null || extent.interval !== null) {
    doc.extent = {};
    if (extent.bbox !== null) doc.extent.spatial = { bbox: [extent.bbox], crs: CRS84 };
    if (extent.interval !== null) doc.extent.temporal = { interval: [extent.interval], trs: TRS_GREGORIAN };
  }
  return doc;
}

/** `/collections` (OGC API Features §7.13). */
export function buildCollections(
  collections: CollectionDocument[],
  baseUrl: string,
): { links: OgcLink[]; collections: CollectionDocument[] } {
  return {
    links: [{ href: `${baseUrl}/collections`, rel: 'self', type: MEDIA.json, title: 'Feature collections' }],
    collections,
  };
}
