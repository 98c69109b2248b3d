import { TidemarkError } from '../common/errors.ts';
import type { Database } from './db.ts';
import { type Queryable, toQueryable } from './queryable.ts';
import type { ShorelineProxy } from './sites.ts';

type Position = number[];

/** A GeoJSON line feature in EPSG:4326 (structurally compatible with @types/geojson features). */
export interface LineFeature {
  type: 'Feature';
  geometry:
    | { type: 'LineString'; coordinates: Position[] }
    | { type: 'MultiLineString'; coordinates: Position[][] };
  properties?: Record<string, unknown> | null;
}

export interface NewShorelines {
  siteId: number;
  /** Null for shorelines imported from a file rather than extracted from a stored scene. */
  sceneId: number | null;
  /** 'YYYY-MM-DD' (a date-time's date part is used). */
  date: string | null;
  features: readonly LineFeature[];
  proxy?: ShorelineProxy;
  /** Default positional uncertainty U (m); a feature's `uncertainty_m` property overrides it. */
  uncertaintyM?: number | null;
}

export interface Shoreline {
  id: number;
  siteId: number;
  sceneId: number | null;
  date: string;
  proxy: ShorelineProxy;
  /** Length measured in the site's metric CRS. */
  lengthM: number;
  uncertaintyM: number | null;
  properties: Record<string, unknown>;
  /** In EPSG:4326, or in the CRS asked for with `epsg`. */
  geometry: { type: 'MultiLineString'; coordinates: Position[][] };
}

/** CRS84 bounds [west, south, east, north] and the first and last year of the stored shorelines. */
export interface DataExtent {
  bounds: [number, number, number, number];
  years: { min: number; max: number };
}

/**
 * Stores the lines of one scene (or one imported file) as MultiLineString rows in EPSG:4326, one row per
 * feature, with their length measured in the site's metric CRS. Returns the new ids in feature order.
 * Call it inside the ingest transaction.
 */
export async function insertShorelines(db: Queryable, input: NewShorelines): Promise<number[]> {
  const date = parseDate(input.date);
  const proxy = input.proxy ?? 'waterline';
  if (proxy !== 'waterline' && proxy !== 'vegetation') {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid shoreline proxy '${String(proxy)}': use waterline or vegetation`,
    );
  }
  const defaultU = input.uncertaintyM ?? null;
  if (defaultU !== null && !(Number.isFinite(defaultU) && defaultU > 0)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `shoreline uncertainty must be a positive number of metres, got ${defaultU}`,
    );
  }
  if (input.features.length === 0) return [];
  const rows = input.features.map((feature, i) => {
    validateLineFeature(feature, i);
    const properties = feature.properties ?? {};
    const u = properties.uncertainty_m;
    if (u !== undefined && u !== null && !(typeof u === 'number' && Number.isFinite(u) && u > 0)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `shoreline feature ${i}: uncertainty_m must be a positive number`,
      );
    }
    return { geometry: feature.geometry, properties, u: (u as number | undefined) ?? defaultU };
  });
  const { rows: inserted } = await db.raw<{ rows: { id: number }[] }>(
    `INSERT INTO shorelines (site_id, scene_id, date, proxy, geom, length_m, uncertainty_m, properties)
     SELECT s.id, ?, ?::date, ?, g.geom, ST_Length(ST_Transform(g.geom, s.epsg)),
            (f.value ->> 'u')::double precision, f.value -> 'properties'
     FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS f (value, ord)
     JOIN sites s ON s.id = ?
     CROSS JOIN LATERAL (
       SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON((f.value -> 'geometry')::text), 4326)) AS geom
     ) g
     ORDER BY f.ord
     RETURNING id`,
    [input.sceneId, date, proxy, JSON.stringify(rows), input.siteId],
  );
  if (inserted.length !== rows.length)
    throw new TidemarkError('NOT_FOUND', `site #${input.siteId} does not exist`);
  return inserted.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * The site's shorelines, oldest first. `epsg` returns geometries transformed to that CRS (e.g. the site's
 * metric CRS for analysis); the default is EPSG:4326.
 */
export async function listShorelines(
  db: Queryable | Database,
  siteId: number,
  opts: { epsg?: number; fromYear?: number; toYear?: number } = {},
): Promise<Shoreline[]> {
  const q = toQueryable(db);
  const epsg = opts.epsg ?? 4326;
  if (!Number.isInteger(epsg) || epsg <= 0)
    throw new TidemarkError('INVALID_INPUT', `invalid EPSG code ${epsg}`);
  const query = q('shorelines')
    .select({
      id: 'id',
      siteId: 'site_id',
      sceneId: 'scene_id',
      date: 'date',
      proxy: 'proxy',
      lengthM: 'length_m',
      uncertaintyM: 'uncertainty_m',
      properties: 'properties',
    })
    .select(q.raw('ST_AsGeoJSON(ST_Transform(geom, ?::integer))::json AS geometry', [epsg]))
    .where('site_id', siteId)
    .orderBy(['date', 'id']);
  if (opts.fromYear !== undefined) query.where('date', '>=', `${yearOf(opts.fromYear)}-01-01`);
  if (opts.toYear !== undefined) query.where('date', '<=', `${yearOf(opts.toYear)}-12-31`);
  return (await query) as Shoreline[];
}

/** The extent of the stored shorelines, of one site (by slug) or of all; null when there are none. */
export async function getDataExtent(db: Queryable | Database, site?: string): Promise<DataExtent | null> {
  const q = toQueryable(db);
  const query = q('shorelines as sh')
    .join('sites as s', 's.id', 'sh.site_id')
    .select(
      q.raw(`ST_XMin(ST_Extent(sh.geom)) AS west, ST_YMin(ST_Extent(sh.geom)) AS south,
             ST_XMax(ST_Extent(sh.geom)) AS east, ST_YMax(ST_Extent(sh.geom)) AS north,
             min(extract(year FROM sh.date))::integer AS min_year,
             max(extract(year FROM sh.date))::integer AS max_year`),
    );
  if (site !== undefined) query.where('s.slug', site);
  const row = (await query.first()) as
    | { west: number | null; south: number; east: number; north: number; min_year: number; max_year: number }
    | undefined;
  if (!row || row.west === null) return null;
  return {
    bounds: [row.west, row.south, row.east, row.north],
    years: { min: row.min_year, max: row.max_year },
  };
}

function yearOf(year: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new TidemarkError('INVALID_INPUT', `invalid year ${year}: expected a four-digit year`);
  }
  return String(year);
}

function parseDate(value: string | null): string {
  if (value === null || value === undefined || value === '') {
    throw new TidemarkError('INVALID_INPUT', 'shorelines need a date (YYYY-MM-DD)');
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value);
  const date = m?.[1];
  const asDate = new Date(`${date}T00:00:00Z`);
  if (!date || Number.isNaN(asDate.getTime()) || asDate.toISOString().slice(0, 10) !== date) {
    throw new TidemarkError('INVALID_INPUT', `invalid shoreline date '${value}' (expected YYYY-MM-DD)`);
  }
  return date;
}

function validateLineFeature(feature: LineFeature, index: number): void {
  const bad = (what: string) => new TidemarkError('INVALID_INPUT', `shoreline feature ${index}: ${what}`);
  // Typed input can still be anything at runtime (parsed files, worker results): check, don't trust.
  const geometry = feature?.geometry as { type?: unknown; coordinates?: unknown } | undefined;
  if (!geometry || (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString')) {
    throw bad(
      `expected a LineString or MultiLineString, got ${geometry ? String(geometry.type) : 'no geometry'}`,
    );
  }
  const lines = (
    geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates
  ) as unknown[][];
  if (!Array.isArray(lines) || lines.length === 0) throw bad('empty geometry');
  for (const line of lines) {
    if (!Array.isArray(line) || line.length < 2) throw bad('a line needs at least 2 positions');
    for (const p of line as (number[] | undefined)[]) {
      const lon = p?.[0];
      const lat = p?.[1];
      if (
        typeof lon !== 'number' ||
        typeof lat !== 'number' ||
        !Number.isFinite(lon) ||
        !Number.isFinite(lat)
      ) {
        throw bad('coordinates must be finite numbers');
      }
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        throw bad(
          `position [${lon}, ${lat}] is outside longitude/latitude range: lines must be in EPSG:4326`,
        );
      }
    }
  }
}
