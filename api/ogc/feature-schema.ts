import type { FeatureCollectionInfo } from '../../store/features/feature-source.ts';

export const SCHEMA_MEDIA_TYPE = 'application/schema+json';

/**
 * `/collections/{id}/schema`: a JSON Schema of one GeoJSON feature of the collection, with the type of every
 * property. Without it a client that types its fields from the first page (GDAL's OAPIF driver, and QGIS
 * through it) makes a numeric property that happens to be null on that page a text column.
 * Each property has one `type` (with `nullable`, as in the OpenAPI document), since that is what such clients
 * read; any property may be null.
 */
export function buildFeatureSchema(info: FeatureCollectionInfo, baseUrl: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(info.properties)) {
    properties[name] = {
      type: p.type,
      ...(p.format ? { format: p.format } : {}),
      description: p.description,
      nullable: true,
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${baseUrl}/collections/${encodeURIComponent(info.id)}/schema`,
    title: info.title,
    description: info.description,
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer' },
      geometry: { type: 'object', description: `GeoJSON ${info.geometryType} (WGS 84 longitude, latitude)` },
      properties: { type: 'object', properties },
    },
  };
}
