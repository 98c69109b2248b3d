import type { FeatureCollectionInfo, QueryableInfo } from '../../store/features/feature-source.ts';
import { SCHEMA_MEDIA_TYPE } from './feature-schema.ts';
import { LIMIT_DEFAULT, LIMIT_MAX } from './items-query.ts';
import { MEDIA } from './ogc-vocabulary.ts';

type Json = Record<string, unknown>;

const ref = (path: string): Json => ({ $ref: `#/components/${path}` });

function queryParam(name: string, description: string, schema: Json): Json {
  return { name, in: 'query', required: false, style: 'form', explode: false, description, schema };
}

function queryableSchema(q: QueryableInfo): Json {
  const schema: Json = { type: q.type };
  if (q.enum !== undefined) schema.enum = [...q.enum];
  if (q.pattern !== undefined) schema.pattern = q.pattern;
  if (q.maxLength !== undefined) schema.maxLength = q.maxLength;
  if (q.minimum !== undefined) schema.minimum = q.minimum;
  if (q.maximum !== undefined) schema.maximum = q.maximum;
  return schema;
}

const PARAMETERS: Json = {
  limit: queryParam(
    'limit',
    `Features per page. Larger values are served as ${LIMIT_MAX}; follow the \`next\` link for more.`,
    { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
  ),
  bbox: queryParam(
    'bbox',
    'Only features whose geometry intersects this box: west,south,east,north in CRS84 degrees ' +
      '(west > east crosses the antimeridian).',
    { type: 'array', minItems: 4, maxItems: 4, items: { type: 'number' } },
  ),
  datetime: queryParam(
    'datetime',
    'Only features whose time intersects this RFC 3339 date, date-time or interval (start/end, `..` or an ' +
      'empty end for open ends). A date covers its whole UTC day.',
    { type: 'string' },
  ),
  after: queryParam('after', 'Paging cursor: features with an id greater than this (from a `next` link).', {
    type: 'integer',
    minimum: 0,
  }),
  before: queryParam('before', 'Paging cursor: the features with ids just below this (from a `prev` link).', {
    type: 'integer',
    minimum: 0,
  }),
  fFeatures: queryParam('f', 'Response format (GeoJSON either way).', {
    type: 'string',
    enum: ['json', 'geojson'],
  }),
  fJson: queryParam('f', 'Response format.', { type: 'string', enum: ['json'] }),
  fLanding: queryParam('f', 'Response format (default: by the Accept header).', {
    type: 'string',
    enum: ['json', 'html'],
  }),
  featureId: {
    name: 'featureId',
    in: 'path',
    required: true,
    description: 'Feature id (an integer)',
    schema: { type: 'integer', minimum: 0 },
  },
};

const SCHEMAS: Json = {
  link: {
    type: 'object',
    required: ['href', 'rel'],
    properties: {
      href: { type: 'string' },
      rel: { type: 'string' },
      type: { type: 'string' },
      title: { type: 'string' },
    },
  },
  problem: {
    type: 'object',
    description: 'RFC 9457 problem details',
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string' },
      invalidParams: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' }, reason: { type: 'string' } } },
      },
    },
  },
  landingPage: {
    type: 'object',
    required: ['links'],
    properties: {
      title: { type: 'string' },
      description: { type: 'string' },
      links: { type: 'array', items: ref('schemas/link') },
    },
  },
  confClasses: {
    type: 'object',
    required: ['conformsTo'],
    properties: { conformsTo: { type: 'array', items: { type: 'string' } } },
  },
  collection: {
    type: 'object',
    required: ['id', 'links'],
    properties: {
      id: { type: 'string' },
      title: { type: 'string' },
      description: { type: 'string' },
      links: { type: 'array', items: ref('schemas/link') },
      extent: { type: 'object' },
      itemType: { type: 'string' },
      crs: { type: 'array', items: { type: 'string' } },
    },
  },
  collections: {
    type: 'object',
    required: ['links', 'collections'],
    properties: {
      links: { type: 'array', items: ref('schemas/link') },
      collections: { type: 'array', items: ref('schemas/collection') },
    },
  },
  featureGeoJSON: {
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'integer' },
      geometry: { type: 'object', nullable: true },
      properties: { type: 'object', nullable: true },
      links: { type: 'array', items: ref('schemas/link') },
    },
  },
  featureCollectionGeoJSON: {
    type: 'object',
    required: ['type', 'features'],
    properties: {
      type: { type: 'string', enum: ['FeatureCollection'] },
      features: { type: 'array', items: ref('schemas/featureGeoJSON') },
      links: { type: 'array', items: ref('schemas/link') },
      timeStamp: { type: 'string', format: 'date-time' },
      numberMatched: { type: 'integer', minimum: 0 },
      numberReturned: { type: 'integer', minimum: 0 },
    },
  },
};

function content(type: string, schema: Json): Json {
  return { [type]: { schema } };
}

const RESPONSES: Json = {
  InvalidParameter: {
    description: 'A query parameter is unknown, repeated or has an invalid value (see invalidParams).',
    content: content('application/problem+json', ref('schemas/problem')),
  },
  NotFound: {
    description: 'No such collection or feature.',
    content: content('application/problem+json', ref('schemas/problem')),
  },
  ServerError: {
    description: 'A server error; the body carries an error id that is also in the server log.',
    content: content('application/problem+json', ref('schemas/problem')),
  },
};

const errors = (...codes: ('400' | '404')[]): Json => {
  const out: Json = { '500': ref('responses/ServerError') };
  if (codes.includes('400')) out['400'] = ref('responses/InvalidParameter');
  if (codes.includes('404')) out['404'] = ref('responses/NotFound');
  return out;
};

function collectionPaths(info: FeatureCollectionInfo): Record<string, Json> {
  const base = `/collections/${info.id}`;
  const propertySchema: Json = { type: 'object', properties: {} as Json };
  for (const [name, p] of Object.entries(info.properties)) {
    (propertySchema.properties as Json)[name] = {
      type: p.type,
      ...(p.format ? { format: p.format } : {}),
      description: p.description,
      nullable: true,
    };
  }
  const featureSchema = {
    allOf: [ref('schemas/featureGeoJSON'), { properties: { properties: propertySchema } }],
  };
  const filters = Object.entries(info.queryables).map(([name, q]) =>
    queryParam(name, `Property filter (equality): ${q.description}`, queryableSchema(q)),
  );
  return {
    [base]: {
      get: {
        tags: ['Collections'],
        summary: `Describe the ${info.title.toLowerCase()} collection`,
        operationId: `describe_${info.id}`,
        parameters: [ref('parameters/fJson')],
        responses: {
          '200': { description: info.description, content: content(MEDIA.json, ref('schemas/collection')) },
          ...errors('400'),
        },
      },
    },
    [`${base}/items`]: {
      get: {
        tags: ['Features'],
        summary: `Fetch ${info.title.toLowerCase()}`,
        description: `${info.description} \`datetime\` filters on ${info.temporalDescription}.`,
        operationId: `get_${info.id}_features`,
        parameters: [
          ref('parameters/limit'),
          ref('parameters/bbox'),
          ref('parameters/datetime'),
          ref('parameters/after'),
          ref('parameters/before'),
          ref('parameters/fFeatures'),
          ...filters,
        ],
        responses: {
          '200': {
            description: 'One page of features, with next/prev links.',
            content: content(MEDIA.geojson, {
              allOf: [
                ref('schemas/featureCollectionGeoJSON'),
                { properties: { features: { type: 'array', items: featureSchema } } },
              ],
            }),
          },
          ...errors('400', '404'),
        },
      },
    },
    [`${base}/schema`]: {
      get: {
        tags: ['Collections'],
        summary: `JSON Schema of one feature of ${info.title.toLowerCase()}`,
        description: 'The type of every property, for clients that set up typed fields (GDAL, QGIS).',
        operationId: `get_${info.id}_schema`,
        parameters: [ref('parameters/fJson')],
        responses: {
          '200': {
            description: 'A JSON Schema (2020-12).',
            content: content(SCHEMA_MEDIA_TYPE, { type: 'object' }),
          },
          ...errors('400'),
        },
      },
    },
    [`${base}/items/{featureId}`]: {
      get: {
        tags: ['Features'],
        summary: `Fetch one feature of ${info.title.toLowerCase()}`,
        operationId: `get_${info.id}_feature`,
        parameters: [ref('parameters/featureId'), ref('parameters/fFeatures')],
        responses: {
          '200': { description: 'The feature.', content: content(MEDIA.geojson, featureSchema) },
          ...errors('400', '404'),
        },
      },
    },
  };
}

/**
 * `/ogc/api`: the OpenAPI 3.0 definition of the OGC API (conformance class oas30), one path per collection
 * so each lists its own property filters; clients such as GDAL read `limit` and the filters from it.
 */
export function buildOpenApiDocument(collections: readonly FeatureCollectionInfo[], baseUrl: string): Json {
  const paths: Json = {
    '/': {
      get: {
        tags: ['Capabilities'],
        summary: 'Landing page',
        operationId: 'getLandingPage',
        parameters: [ref('parameters/fLanding')],
        responses: {
          '200': {
            description: 'Links to the API definition, the conformance classes and the collections.',
            content: {
              ...content(MEDIA.json, ref('schemas/landingPage')),
              [MEDIA.html]: { schema: { type: 'string' } },
            },
          },
          ...errors('400'),
        },
      },
    },
    '/conformance': {
      get: {
        tags: ['Capabilities'],
        summary: 'Conformance classes',
        operationId: 'getConformanceDeclaration',
        parameters: [ref('parameters/fJson')],
        responses: {
          '200': {
            description: 'The conformance classes implemented.',
            content: content(MEDIA.json, ref('schemas/confClasses')),
          },
          ...errors('400'),
        },
      },
    },
    '/api': {
      get: {
        tags: ['Capabilities'],
        summary: 'This API definition',
        operationId: 'getApiDefinition',
        parameters: [ref('parameters/fJson')],
        responses: {
          '200': {
            description: 'The OpenAPI 3.0 definition.',
            content: content(MEDIA.openapi, { type: 'object' }),
          },
          ...errors('400'),
        },
      },
    },
    '/collections': {
      get: {
        tags: ['Capabilities'],
        summary: 'The feature collections',
        operationId: 'getCollections',
        parameters: [ref('parameters/fJson')],
        responses: {
          '200': {
            description: 'Every collection, with its extent.',
            content: content(MEDIA.json, ref('schemas/collections')),
          },
          ...errors('400'),
        },
      },
    },
  };
  for (const info of collections) Object.assign(paths, collectionPaths(info));
  return {
    openapi: '3.0.3',
    info: {
      title: 'Tidemark OGC API - Features',
      version: '1.0.0',
      description:
        'OGC API - Features - Part 1: Core (core, geojson, oas30) over the Tidemark coastal-erosion data. ' +
        'Geometries are CRS84 (longitude, latitude). Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: baseUrl }],
    tags: [
      { name: 'Capabilities', description: 'What the API offers' },
      { name: 'Collections', description: 'Collection metadata' },
      { name: 'Features', description: 'The features' },
    ],
    paths,
    components: { parameters: PARAMETERS, schemas: SCHEMAS, responses: RESPONSES },
  };
}
