import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { MEDIA } from '../ogc/ogc-vocabulary.ts';
import { MAX_TILE_ZOOM } from '../tile-params.ts';
import {
  acceptedUploadSchema,
  analysisSummarySchema,
  apiKeySchema,
  createdKeySchema,
  duplicateUploadSchema,
  jobSchema,
  newKeySchema,
  newSiteSchema,
  newZoneSchema,
  problemSchema,
  sceneSchema,
  siteDetailSchema,
  siteListSchema,
  siteSchema,
  transectSeriesSchema,
  uploadFieldsSchema,
  zoneCollectionSchema,
  zoneFeatureSchema,
  zonePatchSchema,
} from './schemas.ts';

type Json = Record<string, unknown>;

export interface OpenApiOptions {
  version: string;
  /** Ids of the tile layers served under /tiles. */
  tileLayers: readonly string[];
  /** Whether reads need a key (TIDEMARK_PUBLIC_READS=0). */
  publicReads: boolean;
  uploadMaxBytes: number;
}

/** Response and request bodies, converted from the zod schemas the routes validate with. */
const COMPONENT_SCHEMAS: Record<string, { schema: z.ZodType; io: 'input' | 'output' }> = {
  Problem: { schema: problemSchema, io: 'output' },
  Site: { schema: siteSchema, io: 'output' },
  SiteList: { schema: siteListSchema, io: 'output' },
  SiteDetail: { schema: siteDetailSchema, io: 'output' },
  AnalysisSummary: { schema: analysisSummarySchema, io: 'output' },
  NewSite: { schema: newSiteSchema, io: 'input' },
  TransectSeries: { schema: transectSeriesSchema, io: 'output' },
  Zone: { schema: zoneFeatureSchema, io: 'output' },
  ZoneCollection: { schema: zoneCollectionSchema, io: 'output' },
  NewZone: { schema: newZoneSchema, io: 'input' },
  ZonePatch: { schema: zonePatchSchema, io: 'input' },
  Scene: { schema: sceneSchema, io: 'output' },
  SceneList: { schema: z.object({ scenes: z.array(sceneSchema) }), io: 'output' },
  DuplicateUpload: { schema: duplicateUploadSchema, io: 'output' },
  AcceptedUpload: { schema: acceptedUploadSchema, io: 'output' },
  Job: { schema: jobSchema, io: 'output' },
  ApiKey: { schema: apiKeySchema, io: 'output' },
  ApiKeyList: { schema: z.object({ keys: z.array(apiKeySchema) }), io: 'output' },
  RevokedApiKey: { schema: z.object({ apiKey: apiKeySchema }), io: 'output' },
  NewApiKey: { schema: newKeySchema, io: 'input' },
  CreatedApiKey: { schema: createdKeySchema, io: 'output' },
};

function toOpenApiSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (name: string) => ({ 'application/json': { schema: ref(name) } });

function problems(...statuses: number[]): Json {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: STATUS_CODES[status] ?? 'Error',
        content: { 'application/problem+json': { schema: ref('Problem') } },
        ...(status === 401
          ? {
              headers: {
                'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer challenge' },
              },
            }
          : status === 429
            ? { headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } } }
            : {}),
      },
    ]),
  );
}

function ok(description: string, schemaName: string, status = '200'): Json {
  return { [status]: { description, content: jsonBody(schemaName) } };
}

function pathParam(name: string, description: string, schema: Json): Json {
  return { name, in: 'path', required: true, description, schema };
}

const SLUG = pathParam('slug', 'Site slug', {
  type: 'string',
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 63,
});
const ID = (what: string) =>
  pathParam('id', `${what} id`, { type: 'integer', minimum: 1, maximum: 2147483647 });

/** Reads are open or need a key, by configuration; writes always need one, and the role named. */
function readSecurity(publicReads: boolean): Json[] {
  return publicReads ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }];
}
const WRITE_SECURITY = [{ bearerAuth: [] }];

/**
 * The OpenAPI 3.0 document of the whole HTTP API: health, tiles, the REST API and its auth scheme. The OGC
 * API Features part has its own document at /ogc/api (linked from here). A test checks that every route the
 * app mounts is described.
 */
export function buildOpenApiDocument(opts: OpenApiOptions): Json {
  const reads = readSecurity(opts.publicReads);
  const read = (summary: string, responses: Json, parameters: Json[] = [], extra: Json = {}) => ({
    summary,
    security: reads,
    parameters,
    responses: { ...responses, ...problems(400, 401, 404, 500) },
    ...extra,
  });
  const write = (role: 'analyst' | 'admin', summary: string, responses: Json, extra: Json = {}) => ({
    summary,
    description: `Needs an API key with the ${role} role (admin keys may do everything).`,
    security: WRITE_SECURITY,
    responses: { ...responses, ...problems(400, 401, 403, 404, 500) },
    ...extra,
  });
  const tileParams = [
    pathParam('layer', 'Tile layer', { type: 'string', enum: [...opts.tileLayers] }),
    { name: 'site', in: 'query', required: false, schema: { type: 'string' }, description: 'Only this site' },
    {
      name: 'from',
      in: 'query',
      required: false,
      schema: { type: 'string', pattern: '^\\d{4}$' },
      description: 'First year (time-aware layers)',
    },
    {
      name: 'to',
      in: 'query',
      required: false,
      schema: { type: 'string', pattern: '^\\d{4}$' },
      description: 'Last year (time-aware layers)',
    },
  ];

  const paths: Record<string, Json> = {
    '/healthz': {
      get: {
        summary: 'Health: version, database mode, PostGIS version, tile encoder',
        security: [{}],
        responses: {
          '200': { description: 'Healthy', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
    },
    '/openapi.json': {
      get: {
        summary: 'This document',
        security: [{}],
        responses: {
          '200': {
            description: 'OpenAPI 3.0',
            content: { [MEDIA.openapi]: { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/tiles/{layer}.json': {
      get: read(
        'TileJSON 3.0.0 of a tile layer (absolute tile URLs, bounds, zooms, vector_layers)',
        {
          '200': { description: 'TileJSON', content: { 'application/json': { schema: { type: 'object' } } } },
        },
        tileParams,
      ),
    },
    '/tiles/{layer}/{z}/{x}/{y}.mvt': {
      get: read(
        'A Mapbox Vector Tile (strong ETag, gzip or brotli by Accept-Encoding)',
        {
          '200': {
            description: 'The tile',
            content: {
              'application/vnd.mapbox-vector-tile': { schema: { type: 'string', format: 'binary' } },
            },
          },
          '204': { description: 'Empty tile' },
          '304': { description: 'Not modified (If-None-Match)' },
          ...problems(406),
        },
        [
          ...tileParams,
          pathParam('z', 'Zoom', { type: 'integer', minimum: 0, maximum: MAX_TILE_ZOOM }),
          pathParam('x', 'Column (0 … 2^z − 1)', { type: 'integer', minimum: 0 }),
          pathParam('y', 'Row (0 … 2^z − 1)', { type: 'integer', minimum: 0 }),
        ],
      ),
    },
    '/ogc': {
      get: read('OGC API Features landing page (its API definition is /ogc/api)', {
        '200': {
          description: 'Landing page',
          content: { 'application/json': { schema: { type: 'object' } } },
        },
      }),
    },
    '/api/sites': {
      get: read('Sites, with scene count, shoreline years and extent', ok('The sites', 'SiteList')),
      post: write('analyst', 'Create a site', ok('Created', 'SiteDetail', '201'), {
        requestBody: { required: true, content: jsonBody('NewSite') },
        responses: { ...ok('Created', 'SiteDetail', '201'), ...problems(400, 401, 403, 409, 413, 415, 500) },
      }),
    },
    '/api/sites/{slug}': {
      get: read(
        'A site with its latest analysis summary (km eroding/accreting, mean and worst LRR)',
        ok('The site', 'SiteDetail'),
        [SLUG],
      ),
    },
    '/api/sites/{slug}/scenes': {
      get: read('The scenes stored in a site, oldest first', ok('The scenes', 'SceneList'), [SLUG]),
      post: write(
        'analyst',
        'Upload a GeoTIFF scene to ingest',
        {},
        {
          parameters: [SLUG],
          requestBody: {
            required: true,
            description: `multipart/form-data: a part 'file' (TIFF or BigTIFF, checked by its magic bytes; at most ${opts.uploadMaxBytes} bytes) and an optional 'date' field`,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file'],
                  properties: {
                    file: { type: 'string', format: 'binary' },
                    ...((toOpenApiSchema(uploadFieldsSchema, 'input').properties as Json | undefined) ?? {}),
                  },
                },
              },
            },
          },
          responses: {
            ...ok('The same file is already stored in this site', 'DuplicateUpload'),
            ...ok(
              'Accepted: a job ingests the scene (follow links.events for progress)',
              'AcceptedUpload',
              '202',
            ),
            ...problems(400, 401, 403, 404, 413, 415, 429, 500),
          },
        },
      ),
    },
    '/api/scenes/{id}': { get: read('A stored scene', ok('The scene', 'Scene'), [ID('Scene')]) },
    '/api/jobs/{id}': {
      get: read('A job: status, progress, result or error', ok('The job', 'Job'), [ID('Job')]),
    },
    '/api/jobs/{id}/events': {
      get: read(
        'Live job progress as Server-Sent Events',
        {
          '200': {
            description:
              "`status` events carry the whole Job (first, and at each change); `progress` events carry {stage, done, total, fraction}; the stream ends after the job's final status",
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
        [ID('Job')],
      ),
    },
    '/api/transects/{id}/series': {
      get: read(
        'A transect time series: dated positions, LRR/WLR fits, statistics and the Kalman forecast with 1σ',
        ok('The series', 'TransectSeries'),
        [ID('Transect')],
      ),
    },
    '/api/sites/{slug}/zones': {
      get: read('Aquaculture zones of a site (GeoJSON)', ok('The zones', 'ZoneCollection'), [SLUG]),
      post: write(
        'analyst',
        'Create a zone (Polygon or MultiPolygon, EPSG:4326, valid per ST_IsValid)',
        {},
        {
          parameters: [SLUG],
          requestBody: { required: true, content: jsonBody('NewZone') },
          responses: {
            ...ok('Created', 'Zone', '201'),
            ...problems(400, 401, 403, 404, 409, 413, 415, 422, 500),
          },
        },
      ),
    },
    '/api/zones/{id}': {
      get: read('A zone', ok('The zone', 'Zone'), [ID('Zone')]),
      patch: write(
        'analyst',
        'Change a zone',
        {},
        {
          parameters: [ID('Zone')],
          requestBody: { required: true, content: jsonBody('ZonePatch') },
          responses: { ...ok('Changed', 'Zone'), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 500) },
        },
      ),
      delete: write(
        'analyst',
        'Delete a zone',
        { '204': { description: 'Deleted' } },
        { parameters: [ID('Zone')] },
      ),
    },
    '/api/keys': {
      get: write('admin', 'API keys (never their secrets)', ok('The keys', 'ApiKeyList')),
      post: write(
        'admin',
        'Create an API key: the secret is in this response only',
        {},
        {
          requestBody: { required: true, content: jsonBody('NewApiKey') },
          responses: { ...ok('Created', 'CreatedApiKey', '201'), ...problems(400, 401, 403, 413, 415, 500) },
        },
      ),
    },
    '/api/keys/{id}': {
      delete: write('admin', 'Revoke an API key', ok('Revoked', 'RevokedApiKey'), {
        parameters: [ID('API key')],
      }),
    },
  };

  return {
    openapi: '3.0.3',
    info: {
      title: 'Tidemark',
      version: opts.version,
      description:
        'Coastal erosion analysis: shorelines, DSAS statistics and forecasts as vector tiles, OGC API Features ' +
        'and a REST API. Errors are RFC 9457 problem+json. Reads are ' +
        (opts.publicReads ? 'public' : 'for API keys only') +
        '; every write needs `Authorization: Bearer <key>`.',
    },
    externalDocs: { description: 'OGC API Features (its own OpenAPI document)', url: '/ogc/api' },
    servers: [{ url: '/' }],
    tags: [],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tmk_<prefix>_<secret>',
          description:
            'API key from `tidemark key create --role analyst|admin` or POST /api/keys (roles: analyst, admin)',
        },
      },
      schemas: Object.fromEntries(
        Object.entries(COMPONENT_SCHEMAS).map(([name, { schema, io }]) => [
          name,
          toOpenApiSchema(schema, io),
        ]),
      ),
    },
  };
}
