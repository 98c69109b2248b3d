import { z } from 'zod';
import { parseSceneDate } from '../../sources/scene-date.ts';
import { siteSlugSchema } from '../query-params.ts';

/**
 * The REST API's request and response shapes, in one place: routes validate requests with them, the e2e
 * tests check real responses against them, and /openapi.json is generated from them (z.toJSONSchema).
 */

// ---- path parameters ----

export const idParamSchema = z
  .string('must be given')
  .regex(/^[1-9]\d{0,9}$/, 'must be a positive integer')
  .transform(Number)
  .pipe(z.number().max(2_147_483_647, 'is out of range'));

export { siteSlugSchema };

export const emptyQuerySchema = z.strictObject({});

// ---- GeoJSON ----

const lon = z.number('must be a number').min(-180, 'longitude below −180').max(180, 'longitude above 180');
const lat = z.number('must be a number').min(-90, 'latitude below −90').max(90, 'latitude above 90');
/** lon, lat, and optionally an altitude (RFC 7946 §3.1.1), which zones do not keep: they are stored in 2D. */
const position = z.tuple([lon, lat], z.number());
const ring = z
  .array(position)
  .min(4, 'a ring needs at least 4 positions')
  // A ring too short is reported by min() alone (zod runs the refinement anyway).
  .refine((r) => r.length < 4 || (r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1]), {
    message: 'a ring must be closed (first position = last position)',
  });
const polygonCoordinates = z.array(ring).min(1, 'a polygon needs an outer ring');

export const polygonSchema = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: polygonCoordinates,
});
export const multiPolygonSchema = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(polygonCoordinates).min(1, 'a multipolygon needs a polygon'),
});
/** A zone outline: GeoJSON Polygon or MultiPolygon in EPSG:4326 (RFC 7946: lon, lat). */
export const zoneGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema], {
  error: 'must be a GeoJSON Polygon or MultiPolygon',
});

const anyGeometrySchema = z.object({ type: z.string(), coordinates: z.unknown() }).meta({
  description: 'GeoJSON geometry (EPSG:4326)',
});

// ---- shared pieces ----

const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
const linksSchema = z
  .record(z.string(), z.string())
  .meta({ description: 'Related resources (root-relative URLs)' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    code: z.string().optional(),
    errorId: z.string().optional(),
    invalidParams: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .meta({ description: 'RFC 9457 problem details' });

// ---- sites ----

export const newSiteSchema = z.strictObject({
  slug: siteSlugSchema,
  name: z
    .string('must be a string')
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
  epsg: z.number('must be a number').int('must be an integer').positive('must be positive'),
  shorelineProxy: z.enum(['waterline', 'vegetation'], 'must be waterline or vegetation').optional(),
});

export const siteSchema = z.object({
  slug: z.string(),
  name: z.string(),
  epsg: z.number().int(),
  shorelineProxy: z.enum(['waterline', 'vegetation']),
  dataVersion: z.number().int(),
  createdAt: isoDateTime,
  sceneCount: z.number().int(),
  years: z.array(z.number().int()),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  links: linksSchema,
});

export const analysisSummarySchema = z.object({
  analysisId: z.number().int(),
  createdAt: isoDateTime,
  dateFirst: isoDate,
  dateLast: isoDate,
  shorelineCount: z.number().int(),
  transectCount: z.number().int(),
  transectsWithRate: z.number().int(),
  spacingM: z.number().nullable(),
  erodingKm: z.number().nullable(),
  accretingKm: z.number().nullable(),
  stableKm: z.number().nullable(),
  classCounts: z.object({
    critical_erosion: z.number().int(),
    erosion: z.number().int(),
    stable: z.number().int(),
    accretion: z.number().int(),
  }),
  meanLrrMPerYr: z.number().nullable(),
  worstLrrMPerYr: z.number().nullable(),
  worstTransectId: z.number().int().nullable(),
  newShorelineCount: z
    .number()
    .int()
    .nullable()
    .meta({
      description:
        'shorelines stored since this analysis was made (not in its results until the site is analysed again); ' +
        'null when the analysis did not record its inputs',
    }),
});

export const siteDetailSchema = siteSchema.extend({ analysis: analysisSummarySchema.nullable() });
export const siteListSchema = z.object({ sites: z.array(siteSchema) });

// ---- transect series ----

const fitSchema = z.object({
  rateMPerYr: z.number(),
  interceptM: z.number().meta({ description: 'distance at decimal year 0: d = interceptM + rateMPerYr · t' }),
  r2: z.number().nullable(),
  seM: z.number().nullable(),
  ciMPerYr: z.number().nullable(),
  confidencePct: z.number(),
});

export const transectSeriesSchema = z.object({
  transect: z.object({
    id: z.number().int(),
    transectNo: z.number().int(),
    site: z.string(),
    analysisId: z.number().int(),
    lengthM: z.number(),
    azimuthDeg: z.number().nullable(),
    geometry: anyGeometrySchema,
  }),
  observations: z.array(
    z.object({
      date: isoDate,
      decimalYear: z.number(),
      distanceM: z.number(),
      uncertaintyM: z.number(),
      sceneId: z.number().int().nullable(),
      shorelineId: z.number().int().nullable(),
      correctedDistanceM: z
        .number()
        .nullable()
        .meta({ description: 'position moved to z_ref by the tide correction (null when not corrected)' }),
      tideCorrectionM: z
        .number()
        .nullable()
        .meta({ description: '(tide − z_ref)/tanβ added to distanceM, positive seaward' }),
      tideHeightM: z.number().nullable().meta({ description: "the scene's tide height on its datum" }),
    }),
  ),
  method: z
    .object({
      proxy: z.enum(['waterline', 'vegetation']).nullable(),
      distanceBasis: z.enum(['raw', 'tide_corrected']),
    })
    .meta({ description: 'Shoreline proxy of the analysis, and which positions the statistics use' }),
  stats: z.object({
    n: z.number().int(),
    dateFirst: isoDate.nullable(),
    dateLast: isoDate.nullable(),
    nsmM: z.number().nullable(),
    sceM: z.number().nullable(),
    eprMPerYr: z.number().nullable(),
    eprUncMPerYr: z.number().nullable(),
    rateClass: z.enum(['critical_erosion', 'erosion', 'stable', 'accretion']).nullable(),
  }),
  lrr: fitSchema.nullable().meta({ description: 'Linear regression rate (null when n < 3)' }),
  wlr: fitSchema.nullable().meta({ description: 'Weighted linear regression rate (null when n < 3)' }),
  forecast: z
    .array(
      z.object({
        horizonYears: z.number().int(),
        decimalYear: z.number(),
        date: isoDate,
        distanceM: z.number(),
        sigmaM: z.number(),
      }),
    )
    .meta({ description: 'Kalman forecast positions with 1σ (empty when n < 4)' }),
  links: linksSchema,
});

// ---- zones ----

const zoneName = z
  .string('must be a string')
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
const zoneKind = z
  .string('must be a string')
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');
const externalId = z
  .string('must be a string')
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
const zoneProperties = z.record(z.string(), z.unknown(), 'must be an object');

export const newZoneSchema = z.strictObject({
  name: zoneName,
  kind: zoneKind,
  geometry: zoneGeometrySchema,
  externalId: externalId.optional(),
  properties: zoneProperties.optional(),
});

export const zonePatchSchema = z
  .strictObject({
    name: zoneName.optional(),
    kind: zoneKind.nullable().optional(),
    geometry: zoneGeometrySchema.optional(),
    externalId: externalId.nullable().optional(),
    properties: zoneProperties.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'give at least one field to change' });

export const zoneFeatureSchema = z
  .object({
    type: z.literal('Feature'),
    id: z.number().int(),
    geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.unknown() }),
    properties: z.object({
      site: z.string(),
      name: z.string(),
      kind: z.string().nullable(),
      externalId: z.string().nullable(),
      areaM2: z.number(),
      properties: z.record(z.string(), z.unknown()),
      createdAt: isoDateTime,
      updatedAt: isoDateTime,
    }),
    links: linksSchema,
  })
  .meta({ description: 'GeoJSON Feature of an aquaculture zone' });

export const zoneCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(zoneFeatureSchema),
});

// ---- scenes and jobs ----

export const uploadFieldsSchema = z.strictObject({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    // The ingest reads it as it reads a --date flag: a real calendar date, year 100 or later.
    .refine((d) => parseSceneDate(d) !== null, 'is not a calendar date')
    .optional()
    .meta({ description: 'Acquisition date, for a scene whose metadata has none' }),
});

export const sceneSchema = z.object({
  id: z.number().int(),
  site: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  acquiredDate: isoDate,
  epsg: z.number().int().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  threshold: z.number().nullable(),
  waterFraction: z.number().nullable(),
  fileSizeBytes: z.number().int().nullable(),
  createdAt: isoDateTime,
  links: linksSchema,
});

export const duplicateUploadSchema = z
  .object({ duplicate: z.literal(true), scene: sceneSchema })
  .meta({ description: 'The same file is already stored in this site' });

export const jobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);

export const jobSchema = z.object({
  id: z.number().int(),
  kind: z.literal('upload'),
  status: jobStatusSchema,
  site: z.string().nullable(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  progress: z
    .object({ stage: z.string(), done: z.number(), total: z.number(), fraction: z.number() })
    .nullable(),
  result: z
    .object({
      outcome: z.enum(['ingested', 'duplicate']),
      duplicateReason: z
        .enum(['same-file', 'same-date'])
        .nullable()
        .meta({
          description:
            'Why a duplicate was not stored: the same file is stored, or another scene of the same date (the site ' +
            'keeps one shoreline per date); null when ingested',
        }),
      sceneId: z.number().int(),
      date: isoDate.nullable(),
      shorelineCount: z.number().int(),
      links: linksSchema,
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: isoDateTime,
  startedAt: isoDateTime.nullable(),
  finishedAt: isoDateTime.nullable(),
  links: linksSchema,
});

export const acceptedUploadSchema = z
  .object({ job: jobSchema })
  .meta({ description: 'The upload is stored and queued for ingest' });

// ---- keys ----

export const newKeySchema = z.strictObject({
  role: z.enum(['analyst', 'admin'], 'must be analyst or admin'),
  name: z
    .string('must be a string')
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .optional(),
});

export const apiKeySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.enum(['analyst', 'admin']),
  prefix: z.string().meta({ description: 'Public start of the key, to recognise it' }),
  createdAt: isoDateTime,
  lastUsedAt: isoDateTime.nullable(),
  expiresAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
  createdByKeyId: z.number().int().nullable(),
});

export const createdKeySchema = z.object({
  key: z.string().meta({ description: 'The secret key: shown this once, never again' }),
  apiKey: apiKeySchema,
});
