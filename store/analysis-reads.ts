import type { AnalysisCounts, TransectStatsRow } from './analysis.ts';
import { TRANSECT_STAT_COLUMNS } from './analysis.ts';
import type { Database } from './db.ts';
import { type Queryable, toQueryable } from './queryable.ts';

/**
 * Reading a site's stored analysis (written by replaceSiteAnalysis in analysis.ts). Geometries come back as
 * EPSG:4326 GeoJSON; every statement reads one consistent snapshot.
 */

export interface AnalysisRecord {
  id: number;
  siteId: number;
  params: Record<string, unknown>;
  shorelineCount: number;
  dateFirst: string;
  dateLast: string;
  createdAt: Date;
}

type GeoJsonGeometry = { type: string; coordinates: unknown };

export interface TransectRecord {
  id: number;
  transectNo: number;
  lengthM: number;
  azimuthDeg: number | null;
  /** EPSG:4326 LineString from the origin (on the baseline) seaward. */
  geometry: GeoJsonGeometry;
  stats: TransectStatsRow;
}

export interface ObservationRecord {
  date: string;
  decimalYear: number;
  distanceM: number;
  uncertaintyM: number;
  shorelineId: number | null;
  sceneId: number | null;
  geometry: GeoJsonGeometry;
  /** Tide-corrected analyses: the position at z_ref and the correction added to distanceM (else null). */
  correctedDistanceM: number | null;
  tideCorrectionM: number | null;
  /** The scene's tide height (null without a scene or a tide). */
  tideHeightM: number | null;
}

export interface ChangePolygonRecord {
  id: number;
  kind: 'erosion' | 'accretion';
  periodKind: 'consecutive' | 'total';
  periodStart: string;
  periodEnd: string;
  areaM2: number;
  geometry: GeoJsonGeometry;
}

export interface ForecastRecord {
  id: number;
  horizonYears: number;
  forecastDate: string;
  sigmaMeanM: number | null;
  line: GeoJsonGeometry | null;
  band: GeoJsonGeometry | null;
  hazard: { areaM2: number; geometry: GeoJsonGeometry } | null;
}

/** The site's current analysis, or null when it has never been analysed. */
export async function getSiteAnalysis(
  db: Queryable | Database,
  siteId: number,
): Promise<AnalysisRecord | null> {
  const row = (await toQueryable(db)('analyses')
    .select({
      id: 'id',
      siteId: 'site_id',
      params: 'params',
      shorelineCount: 'shoreline_count',
      dateFirst: 'date_first',
      dateLast: 'date_last',
      createdAt: 'created_at',
    })
    .where('site_id', siteId)
    .orderBy('id', 'desc')
    .first()) as AnalysisRecord | undefined;
  return row ?? null;
}

/** How many rows the site's analysis has in each table (one statement: one consistent snapshot). */
export async function countAnalysisRows(db: Queryable | Database, siteId: number): Promise<AnalysisCounts> {
  const { rows } = await toQueryable(db).raw<{ rows: AnalysisCounts[] }>(
    `SELECT (SELECT count(*) FROM analyses WHERE site_id = :site)::integer AS analyses,
            (SELECT count(*) FROM transects WHERE site_id = :site)::integer AS transects,
            (SELECT count(*) FROM transect_stats WHERE site_id = :site)::integer AS "transectStats",
            (SELECT count(*) FROM transect_intersections i JOIN transects t ON t.id = i.transect_id
              WHERE t.site_id = :site)::integer AS intersections,
            (SELECT count(*) FROM change_polygons WHERE site_id = :site)::integer AS "changePolygons",
            (SELECT count(*) FROM forecasts WHERE site_id = :site)::integer AS forecasts,
            (SELECT count(*) FROM hazard_zones WHERE site_id = :site)::integer AS "hazardZones"`,
    { site: siteId },
  );
  return rows[0]!;
}

/** The site's transects in order, with their statistics. */
export async function listTransectResults(
  db: Queryable | Database,
  siteId: number,
): Promise<TransectRecord[]> {
  const q = toQueryable(db);
  const rows = (await q('transects as t')
    .join('transect_stats as s', 's.transect_id', 't.id')
    .select({ id: 't.id', transectNo: 't.transect_no', lengthM: 't.length_m', azimuthDeg: 't.azimuth_deg' })
    .select(q.raw('ST_AsGeoJSON(t.geom)::json AS geometry'))
    .select(TRANSECT_STAT_COLUMNS.map((c) => `s.${c}`))
    .where('t.site_id', siteId)
    .orderBy('t.transect_no')) as (Omit<TransectRecord, 'stats'> & TransectStatsRow)[];
  return rows.map((row) => {
    const stats = {} as Record<string, unknown>;
    for (const c of TRANSECT_STAT_COLUMNS) stats[c] = row[c];
    return {
      id: row.id,
      transectNo: row.transectNo,
      lengthM: row.lengthM,
      azimuthDeg: row.azimuthDeg,
      geometry: row.geometry,
      stats: stats as unknown as TransectStatsRow,
    };
  });
}

/** The shoreline positions on one transect (by its number along the baseline), oldest first. */
export async function listTransectObservations(
  db: Queryable | Database,
  siteId: number,
  transectNo: number,
): Promise<ObservationRecord[]> {
  const q = toQueryable(db);
  return (await q('transect_intersections as i')
    .join('transects as t', 't.id', 'i.transect_id')
    .leftJoin('scenes as sc', 'sc.id', 'i.scene_id')
    .select({
      date: 'i.date',
      decimalYear: 'i.decimal_year',
      distanceM: 'i.distance_m',
      uncertaintyM: 'i.uncertainty_m',
      shorelineId: 'i.shoreline_id',
      sceneId: 'i.scene_id',
      correctedDistanceM: 'i.corrected_distance_m',
      tideCorrectionM: 'i.tide_correction_m',
      tideHeightM: 'sc.tide_height_m',
    })
    .select(q.raw('ST_AsGeoJSON(i.geom)::json AS geometry'))
    .where({ 't.site_id': siteId, 't.transect_no': transectNo })
    .orderBy('i.date')) as ObservationRecord[];
}

/** The site's erosion and accretion polygons, optionally of one period kind or one kind. */
export async function listChangePolygons(
  db: Queryable | Database,
  siteId: number,
  opts: { periodKind?: 'consecutive' | 'total'; kind?: 'erosion' | 'accretion' } = {},
): Promise<ChangePolygonRecord[]> {
  const q = toQueryable(db);
  const query = q('change_polygons')
    .select({
      id: 'id',
      kind: 'kind',
      periodKind: 'period_kind',
      periodStart: 'period_start',
      periodEnd: 'period_end',
      areaM2: 'area_m2',
    })
    .select(q.raw('ST_AsGeoJSON(geom)::json AS geometry'))
    .where('site_id', siteId)
    .orderBy(['period_start', 'period_end', 'kind', 'id']);
  if (opts.periodKind !== undefined) query.where('period_kind', opts.periodKind);
  if (opts.kind !== undefined) query.where('kind', opts.kind);
  return (await query) as ChangePolygonRecord[];
}

/** The site's forecast lines, ±1σ bands and hazard zones, by horizon. */
export async function listForecasts(db: Queryable | Database, siteId: number): Promise<ForecastRecord[]> {
  const q = toQueryable(db);
  const rows = (await q('forecasts as f')
    .leftJoin('hazard_zones as h', 'h.forecast_id', 'f.id')
    .select({
      id: 'f.id',
      horizonYears: 'f.horizon_years',
      forecastDate: 'f.forecast_date',
      sigmaMeanM: 'f.sigma_mean_m',
      hazardAreaM2: 'h.area_m2',
    })
    .select(
      q.raw(`ST_AsGeoJSON(f.line_geom)::json AS line, ST_AsGeoJSON(f.band_geom)::json AS band,
             ST_AsGeoJSON(h.geom)::json AS hazard`),
    )
    .where('f.site_id', siteId)
    .orderBy('f.horizon_years')) as (Omit<ForecastRecord, 'hazard'> & {
    hazardAreaM2: number | null;
    hazard: GeoJsonGeometry | null;
  })[];
  return rows.map(({ hazardAreaM2, hazard, ...f }) => ({
    ...f,
    hazard: hazard && hazardAreaM2 !== null ? { areaM2: hazardAreaM2, geometry: hazard } : null,
  }));
}
