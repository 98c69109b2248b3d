import type { Knex } from 'knex';
import { TidemarkError } from '../common/errors.ts';
import type { Queryable } from './queryable.ts';
import type { ShorelineProxy } from './sites.ts';

export type TideSource = 'stac' | 'csv' | 'flag';
export type ReviewStatus = 'unreviewed' | 'accepted' | 'rejected';

/** What ingest knows about a scene. Optional fields default to null (or the column default). */
export interface NewScene {
  siteId: number;
  /** Lowercase hex sha256 of the file bytes. */
  sha256: string;
  fileName: string;
  /** Acquisition date 'YYYY-MM-DD', or an ISO 8601 date-time (its date part is the scene date). */
  acquiredAt: string | null;
  /** EPSG code of the scene CRS; null for a user-defined CRS (then give crsProj4). */
  epsg: number | null;
  /** proj4 definition of the scene CRS as the pipeline used it. */
  crsProj4?: string | null;
  width: number;
  height: number;
  waterIndex?: string;
  threshold?: number | null;
  thresholdMethod?: string | null;
  waterFraction?: number | null;
  validFraction?: number | null;
  cloudFraction?: number | null;
  sensor?: string | null;
  pixelSizeM?: number | null;
  fileSizeBytes?: number | null;
  /** Band role → 1-based band index, e.g. { green: 1, nir: 2, swir16: 3 }. */
  bands?: Record<string, number>;
  /** Scene footprint, GeoJSON Polygon in EPSG:4326. */
  footprint?: { type: 'Polygon'; coordinates: number[][][] } | null;
  shorelineProxy?: ShorelineProxy;
  tideHeightM?: number | null;
  tideDatum?: string | null;
  tideSource?: TideSource | null;
  sourceUri?: string | null;
  stacItemId?: string | null;
  rasterUri?: string | null;
  metadata?: Record<string, unknown>;
}

export interface Scene {
  id: number;
  siteId: number;
  sha256: string;
  fileName: string;
  acquiredDate: string;
  acquiredAt: Date | null;
  epsg: number | null;
  crsProj4: string | null;
  width: number;
  height: number;
  waterIndex: string;
  threshold: number | null;
  thresholdMethod: string | null;
  waterFraction: number | null;
  validFraction: number | null;
  cloudFraction: number | null;
  sensor: string | null;
  pixelSizeM: number | null;
  fileSizeBytes: number | null;
  bands: Record<string, number>;
  shorelineProxy: ShorelineProxy;
  tideHeightM: number | null;
  tideDatum: string | null;
  tideSource: TideSource | null;
  tideCorrected: boolean;
  tideFiltered: boolean;
  tideFilterReason: string | null;
  sourceUri: string | null;
  stacItemId: string | null;
  rasterUri: string | null;
  reviewStatus: ReviewStatus;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

// Scene field → column. The select aliases every column to its field name, so rows are Scenes as read.
const FIELD_COLUMNS: Record<keyof Scene, string> = {
  id: 'id',
  siteId: 'site_id',
  sha256: 'sha256',
  fileName: 'file_name',
  acquiredDate: 'acquired_date',
  acquiredAt: 'acquired_at',
  epsg: 'epsg',
  crsProj4: 'crs_proj4',
  width: 'width',
  height: 'height',
  waterIndex: 'water_index',
  threshold: 'threshold',
  thresholdMethod: 'threshold_method',
  waterFraction: 'water_fraction',
  validFraction: 'valid_fraction',
  cloudFraction: 'cloud_fraction',
  sensor: 'sensor',
  pixelSizeM: 'pixel_size_m',
  fileSizeBytes: 'file_size_bytes',
  bands: 'bands',
  shorelineProxy: 'shoreline_proxy',
  tideHeightM: 'tide_height_m',
  tideDatum: 'tide_datum',
  tideSource: 'tide_source',
  tideCorrected: 'tide_corrected',
  tideFiltered: 'tide_filtered',
  tideFilterReason: 'tide_filter_reason',
  sourceUri: 'source_uri',
  stacItemId: 'stac_item_id',
  rasterUri: 'raster_uri',
  reviewStatus: 'review_status',
  metadata: 'metadata',
  createdAt: 'created_at',
};

function selectScenes(db: Queryable): Knex.QueryBuilder {
  return db('scenes').select(FIELD_COLUMNS);
}

export async function findSceneBySha256(
  db: Queryable,
  siteId: number,
  sha256: string,
): Promise<Scene | null> {
  const row = (await selectScenes(db).where({ site_id: siteId, sha256: sha256.toLowerCase() }).first()) as
    | Scene
    | undefined;
  return row ?? null;
}

/**
 * The site's scene of a shoreline proxy acquired on a UTC date (YYYY-MM-DD), if any: a site keeps one
 * shoreline per date and proxy, since its analysis reads each date as one line.
 */
export async function findSceneByDate(
  db: Queryable,
  siteId: number,
  date: string,
  proxy: 'waterline' | 'vegetation',
): Promise<Scene | null> {
  const row = (await selectScenes(db)
    .where({ site_id: siteId, shoreline_proxy: proxy })
    .whereRaw('acquired_date = ?::date', [date])
    .orderBy('id')
    .first()) as Scene | undefined;
  return row ?? null;
}

export async function getSceneById(db: Queryable, id: number): Promise<Scene | null> {
  const row = (await selectScenes(db).where({ id }).first()) as Scene | undefined;
  return row ?? null;
}

/** The site's scenes, oldest acquisition first. */
export async function listScenes(db: Queryable, siteId: number): Promise<Scene[]> {
  return (await selectScenes(db).where({ site_id: siteId }).orderBy(['acquired_date', 'id'])) as Scene[];
}

/**
 * Inserts a scene and returns its id. Call it in the ingest transaction, after findSceneBySha256: the same
 * bytes stored twice in a site are a CONFLICT (details.sceneId names the stored scene), which is how a
 * race between two processes ingesting the same file ends.
 */
export async function insertScene(db: Queryable, scene: NewScene): Promise<number> {
  const { acquiredDate, acquiredAt } = parseAcquired(scene.acquiredAt, scene.fileName);
  validateScene(scene);
  const sha256 = scene.sha256.toLowerCase();
  const { rows } = await db.raw<{ rows: { id: number }[] }>(
    `INSERT INTO scenes (site_id, sha256, file_name, acquired_date, acquired_at, epsg, width, height,
        water_index, threshold, threshold_method, water_fraction, valid_fraction, cloud_fraction, sensor,
        pixel_size_m, file_size_bytes, bands, footprint, shoreline_proxy, tide_height_m, tide_datum,
        tide_source, source_uri, stac_item_id, raster_uri, metadata, crs_proj4)
     VALUES (?, ?, ?, ?::date, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb,
        ST_SetSRID(ST_GeomFromGeoJSON(?::text), 4326), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
     ON CONFLICT (site_id, sha256) DO NOTHING
     RETURNING id`,
    [
      scene.siteId,
      sha256,
      scene.fileName,
      acquiredDate,
      acquiredAt,
      scene.epsg,
      scene.width,
      scene.height,
      scene.waterIndex ?? 'mndwi',
      scene.threshold ?? null,
      scene.thresholdMethod ?? null,
      scene.waterFraction ?? null,
      scene.validFraction ?? null,
      scene.cloudFraction ?? null,
      scene.sensor ?? null,
      scene.pixelSizeM ?? null,
      scene.fileSizeBytes ?? null,
      JSON.stringify(scene.bands ?? {}),
      scene.footprint ? JSON.stringify(scene.footprint) : null,
      scene.shorelineProxy ?? 'waterline',
      scene.tideHeightM ?? null,
      scene.tideDatum ?? null,
      scene.tideSource ?? null,
      scene.sourceUri ?? null,
      scene.stacItemId ?? null,
      scene.rasterUri ?? null,
      JSON.stringify(scene.metadata ?? {}),
      scene.crsProj4 ?? null,
    ],
  );
  const inserted = rows[0];
  if (inserted) return inserted.id;
  const existing = await findSceneBySha256(db, scene.siteId, sha256);
  throw new TidemarkError(
    'CONFLICT',
    `scene ${scene.fileName} is already stored in this site (same sha256)`,
    {
      details: { sceneId: existing?.id ?? null, sha256 },
    },
  );
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

function parseAcquired(
  value: string | null,
  fileName: string,
): { acquiredDate: string; acquiredAt: string | null } {
  if (value === null || value === undefined || value === '') {
    throw new TidemarkError(
      'INVALID_INPUT',
      `scene ${fileName} has no acquisition date: add one to its metadata or pass --date YYYY-MM-DD`,
    );
  }
  const m = DATE_RE.exec(value);
  const date = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  const asDate = new Date(`${date}T00:00:00Z`);
  if (!m || Number.isNaN(asDate.getTime()) || asDate.toISOString().slice(0, 10) !== date) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `scene ${fileName}: invalid acquisition date '${value}' (expected YYYY-MM-DD)`,
    );
  }
  if (value.length === 10) return { acquiredDate: date, acquiredAt: null };
  if (Number.isNaN(Date.parse(value))) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `scene ${fileName}: invalid acquisition time '${value}' (expected ISO 8601)`,
    );
  }
  return { acquiredDate: date, acquiredAt: value };
}

function validateScene(scene: NewScene): void {
  const bad = (what: string) => new TidemarkError('INVALID_INPUT', `scene ${scene.fileName}: ${what}`);
  if (typeof scene.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(scene.sha256))
    throw bad('sha256 must be 64 hex digits');
  if (typeof scene.fileName !== 'string' || scene.fileName.length === 0) throw bad('empty file name');
  if (!Number.isInteger(scene.siteId) || scene.siteId <= 0)
    throw bad(`invalid site id ${String(scene.siteId)}`);
  if (scene.epsg !== null && (!Number.isInteger(scene.epsg) || scene.epsg <= 0)) {
    throw bad(`invalid EPSG code ${String(scene.epsg)}`);
  }
  if (scene.epsg === null && !scene.crsProj4)
    throw bad('a scene needs an EPSG code or a proj4 CRS definition');
  for (const [name, v] of [
    ['width', scene.width],
    ['height', scene.height],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) throw bad(`${name} must be a positive integer, got ${String(v)}`);
  }
  for (const [name, v] of [
    ['water fraction', scene.waterFraction],
    ['valid fraction', scene.validFraction],
    ['cloud fraction', scene.cloudFraction],
  ] as const) {
    if (v !== undefined && v !== null && !(Number.isFinite(v) && v >= 0 && v <= 1)) {
      throw bad(`${name} must be between 0 and 1, got ${String(v)}`);
    }
  }
  for (const [name, v] of [
    ['threshold', scene.threshold],
    ['tide height', scene.tideHeightM],
  ] as const) {
    if (v !== undefined && v !== null && !Number.isFinite(v)) throw bad(`${name} must be a finite number`);
  }
  if (
    scene.pixelSizeM !== undefined &&
    scene.pixelSizeM !== null &&
    !(Number.isFinite(scene.pixelSizeM) && scene.pixelSizeM > 0)
  ) {
    throw bad('pixel size must be a positive number of metres');
  }
}

/** What an analysis did with one scene's tide (scenes.tide_corrected, tide_correction_m, tide_filtered…). */
export interface SceneTideStatus {
  sceneId: number;
  tideCorrected: boolean;
  /** Horizontal correction (z_tide − z_ref)/tanβ in metres along the transects, positive seaward. */
  tideCorrectionM: number | null;
  tideFiltered: boolean;
  tideFilterReason: string | null;
}

/** Records, per scene, whether the latest analysis corrected or filtered it by tide, and why. */
export async function setSceneTideStatus(db: Queryable, rows: readonly SceneTideStatus[]): Promise<void> {
  for (const r of rows) {
    if (r.tideFiltered !== (r.tideFilterReason !== null)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `scene ${r.sceneId}: a tide-filtered scene needs its reason, and only it`,
      );
    }
    await db('scenes').where({ id: r.sceneId }).update({
      tide_corrected: r.tideCorrected,
      tide_correction_m: r.tideCorrectionM,
      tide_filtered: r.tideFiltered,
      tide_filter_reason: r.tideFilterReason,
    });
  }
}
