import type { Knex } from 'knex';
import { TidemarkError } from '../common/errors.ts';
import type { Queryable } from './queryable.ts';

/** A metric point [x, y] in the CRS named by `AnalysisWrite.epsg`. */
type XY = readonly [number, number];
type Ring = readonly XY[];
/** Polygons as rings (outer first, then holes), each ring closed. */
type MultiPolygonXY = readonly (readonly Ring[])[];

export type RateClassName = 'critical_erosion' | 'erosion' | 'stable' | 'accretion';

/** One transect_stats row (columns by name; null where DSAS leaves a statistic undefined). */
export interface TransectStatsRow {
  n: number;
  date_first: string | null;
  date_last: string | null;
  nsm_m: number | null;
  sce_m: number | null;
  epr_m_yr: number | null;
  epr_unc_m_yr: number | null;
  lrr_m_yr: number | null;
  lrr_intercept_m: number | null;
  lrr_r2: number | null;
  lrr_se_m: number | null;
  lrr_ci_m_yr: number | null;
  wlr_m_yr: number | null;
  wlr_intercept_m: number | null;
  wlr_r2: number | null;
  wlr_se_m: number | null;
  wlr_ci_m_yr: number | null;
  confidence_pct: number;
  rate_class: RateClassName | null;
  forecast_10y_m: number | null;
  forecast_10y_sigma_m: number | null;
  forecast_20y_m: number | null;
  forecast_20y_sigma_m: number | null;
}

/** The transect_stats columns readers get, in order (a whitelist: nothing else is ever selected). */
export const TRANSECT_STAT_COLUMNS: readonly (keyof TransectStatsRow)[] = [
  'n',
  'date_first',
  'date_last',
  'nsm_m',
  'sce_m',
  'epr_m_yr',
  'epr_unc_m_yr',
  'lrr_m_yr',
  'lrr_intercept_m',
  'lrr_r2',
  'lrr_se_m',
  'lrr_ci_m_yr',
  'wlr_m_yr',
  'wlr_intercept_m',
  'wlr_r2',
  'wlr_se_m',
  'wlr_ci_m_yr',
  'confidence_pct',
  'rate_class',
  'forecast_10y_m',
  'forecast_10y_sigma_m',
  'forecast_20y_m',
  'forecast_20y_sigma_m',
];

export interface ObservationWrite {
  date: string;
  decimalYear: number;
  distanceM: number;
  uncertaintyM: number;
  point: XY;
  /** Set when one stored shoreline (one scene) gave that date's line. */
  shorelineId: number | null;
  sceneId: number | null;
  /** Tide-corrected analyses: the position moved to z_ref, and by how much (distanceM stays raw). */
  correctedDistanceM?: number | null;
  tideCorrectionM?: number | null;
}

export interface TransectWrite {
  transectNo: number;
  lengthM: number;
  azimuthDeg: number;
  start: XY;
  end: XY;
  stats: TransectStatsRow;
  observations: readonly ObservationWrite[];
  /** Which distances the statistics are computed on (default raw). */
  distanceBasis?: 'raw' | 'tide_corrected';
}

/** The land of one date (valid polygons), for the change overlays. */
export interface LandWrite {
  date: string;
  polygons: MultiPolygonXY;
}

/** Land(from) \\ land(to) is stored as erosion and land(to) \\ land(from) as accretion. */
export interface ChangePeriodWrite {
  fromDate: string;
  toDate: string;
  periodKind: 'consecutive' | 'total';
}

export interface ForecastWrite {
  horizonYears: number;
  forecastDate: string;
  lines: readonly (readonly XY[])[];
  band: MultiPolygonXY;
  sigmaMeanM: number | null;
  hazard: { areaM2: number; polygons: MultiPolygonXY } | null;
}

/** A complete analysis of a site, every coordinate in the metric CRS `epsg` (stored as EPSG:4326). */
export interface AnalysisWrite {
  siteId: number;
  epsg: number;
  params: Record<string, unknown>;
  shorelineCount: number;
  /** Every shoreline the analysis considered, used or left out (rejected or tide-filtered scenes). */
  shorelineIds: readonly number[];
  dateFirst: string;
  dateLast: string;
  baseline: {
    source: 'supplied' | 'generated';
    offsetM: number | null;
    smoothingM: number | null;
    parts: readonly (readonly XY[])[];
  };
  transects: readonly TransectWrite[];
  /** Lands and the periods to compare them over: the overlays run here, in PostGIS (GEOS). */
  lands: readonly LandWrite[];
  changePeriods: readonly ChangePeriodWrite[];
  forecasts: readonly ForecastWrite[];
}

/** Total erosion and accretion area of one period, m². */
export interface ChangeTotals {
  periodStart: string;
  periodEnd: string;
  periodKind: 'consecutive' | 'total';
  erosionAreaM2: number;
  accretionAreaM2: number;
  polygons: number;
}

export interface AnalysisCounts {
  analyses: number;
  transects: number;
  transectStats: number;
  intersections: number;
  changePolygons: number;
  forecasts: number;
  hazardZones: number;
}

// Rows go to PostgreSQL as one JSON array per statement; batches keep each parameter a few MB.
const BATCH_ROWS = 2000;

// Geometry placeholders: the SRID is bound like every other value (it precedes the row JSON in the SQL).
const FROM_ROW = "ST_SetSRID(ST_GeomFromGeoJSON(e ->> 'geojson'), ?::integer)";
const FROM_TEXT = 'ST_SetSRID(ST_GeomFromGeoJSON(?::text), ?::integer)';
// A polygon valid in the metric CRS can, rarely, pinch after reprojection: repair it rather than fail.
const validMulti = (expr: string) =>
  `(SELECT CASE WHEN ST_IsValid(g) THEN g ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
    FROM (SELECT ST_Multi(ST_Transform(${expr}, 4326)) AS g) m)`;

/**
 * Replaces the site's analysis with `input`, inside the caller's transaction: locks the site row (so two
 * analyses of one site run one after the other), deletes the previous analysis (its transects, statistics,
 * polygons and forecasts cascade), then inserts everything. The caller bumps the data version in the same
 * transaction; readers see the old analysis until it commits, then the new one.
 */
export async function replaceSiteAnalysis(
  trx: Knex.Transaction,
  input: AnalysisWrite,
): Promise<{ analysisId: number; counts: AnalysisCounts; changes: ChangeTotals[] }> {
  if (!trx.isTransaction) throw new TidemarkError('INTERNAL', 'replaceSiteAnalysis needs a transaction');
  const { epsg } = input;
  if (!Number.isInteger(epsg) || epsg <= 0)
    throw new TidemarkError('INVALID_INPUT', `invalid EPSG code ${epsg}`);
  const locked = await trx.raw<{ rows: unknown[] }>('SELECT id FROM sites WHERE id = ? FOR UPDATE', [
    input.siteId,
  ]);
  if (locked.rows.length === 0) throw new TidemarkError('NOT_FOUND', `site #${input.siteId} does not exist`);
  await trx.raw('DELETE FROM analyses WHERE site_id = ?', [input.siteId]);

  const analysis = await trx.raw<{ rows: { id: number }[] }>(
    `INSERT INTO analyses (site_id, params, shoreline_count, shoreline_ids, date_first, date_last)
     VALUES (?, ?::jsonb, ?, ?::integer[], ?::date, ?::date) RETURNING id`,
    [
      input.siteId,
      JSON.stringify(input.params),
      input.shorelineCount,
      [...input.shorelineIds],
      input.dateFirst,
      input.dateLast,
    ],
  );
  const analysisId = analysis.rows[0]!.id;
  const owner = { site_id: input.siteId, analysis_id: analysisId };

  const baselineGeo = { type: 'MultiLineString', coordinates: input.baseline.parts };
  const baseline = await trx.raw<{ rows: { id: number }[] }>(
    `INSERT INTO baselines (site_id, analysis_id, source, placement, offset_m, smoothing_m, geom)
     SELECT ?, ?, ?, 'onshore', ?, ?, ST_Multi(ST_Transform(${FROM_TEXT}, 4326))
     RETURNING id`,
    [
      input.siteId,
      analysisId,
      input.baseline.source,
      input.baseline.offsetM,
      input.baseline.smoothingM,
      JSON.stringify(baselineGeo),
      epsg,
    ],
  );
  const baselineId = baseline.rows[0]!.id;

  const transectIds = new Map<number, number>();
  for (const batch of batches(input.transects)) {
    const rows = batch.map((t) => ({
      ...owner,
      baseline_id: baselineId,
      transect_no: t.transectNo,
      source: 'cast',
      length_m: t.lengthM,
      azimuth_deg: t.azimuthDeg,
      geojson: { type: 'LineString', coordinates: [t.start, t.end] },
    }));
    const { rows: inserted } = await trx.raw<{ rows: { id: number; transect_no: number }[] }>(
      `INSERT INTO transects (site_id, analysis_id, baseline_id, transect_no, source, length_m, azimuth_deg, geom)
       SELECT r.site_id, r.analysis_id, r.baseline_id, r.transect_no, r.source, r.length_m, r.azimuth_deg,
              ST_Transform(${FROM_ROW}, 4326)
       FROM jsonb_array_elements(?::jsonb) AS e
       CROSS JOIN LATERAL jsonb_populate_record(null::transects, e) AS r
       RETURNING id, transect_no`,
      [epsg, JSON.stringify(rows)],
    );
    for (const row of inserted) transectIds.set(row.transect_no, row.id);
  }
  const idOf = (t: TransectWrite) => {
    const id = transectIds.get(t.transectNo);
    if (id === undefined)
      throw new TidemarkError('INVALID_INPUT', `duplicate transect number ${t.transectNo}`);
    return id;
  };

  for (const batch of batches(input.transects)) {
    const rows = batch.map((t) => ({
      ...t.stats,
      ...owner,
      transect_id: idOf(t),
      distance_basis: t.distanceBasis ?? 'raw',
    }));
    await trx.raw(
      `INSERT INTO transect_stats (transect_id, site_id, analysis_id, distance_basis, ??)
       SELECT r.transect_id, r.site_id, r.analysis_id, r.distance_basis, ??
       FROM jsonb_populate_recordset(null::transect_stats, ?::jsonb) AS r`,
      [[...TRANSECT_STAT_COLUMNS], TRANSECT_STAT_COLUMNS.map((c) => `r.${c}`), JSON.stringify(rows)],
    );
  }

  let intersections = 0;
  const observations = input.transects.flatMap((t) =>
    t.observations.map((o) => ({
      transect_id: idOf(t),
      shoreline_id: o.shorelineId,
      scene_id: o.sceneId,
      date: o.date,
      decimal_year: o.decimalYear,
      distance_m: o.distanceM,
      corrected_distance_m: o.correctedDistanceM ?? null,
      tide_correction_m: o.tideCorrectionM ?? null,
      uncertainty_m: o.uncertaintyM,
      geojson: { type: 'Point', coordinates: o.point },
    })),
  );
  for (const batch of batches(observations)) {
    await trx.raw(
      `INSERT INTO transect_intersections
         (transect_id, shoreline_id, scene_id, date, decimal_year, distance_m, corrected_distance_m,
          tide_correction_m, uncertainty_m, geom)
       SELECT r.transect_id, r.shoreline_id, r.scene_id, r.date, r.decimal_year, r.distance_m,
              r.corrected_distance_m, r.tide_correction_m, r.uncertainty_m, ST_Transform(${FROM_ROW}, 4326)
       FROM jsonb_array_elements(?::jsonb) AS e
       CROSS JOIN LATERAL jsonb_populate_record(null::transect_intersections, e) AS r`,
      [epsg, JSON.stringify(batch)],
    );
    intersections += batch.length;
  }

  const changes = await insertChangePolygons(trx, input, analysisId);

  let hazardZones = 0;
  for (const f of input.forecasts) {
    const line =
      f.lines.length > 0 ? JSON.stringify({ type: 'MultiLineString', coordinates: f.lines }) : null;
    const band = f.band.length > 0 ? JSON.stringify({ type: 'MultiPolygon', coordinates: f.band }) : null;
    const { rows } = await trx.raw<{ rows: { id: number }[] }>(
      `INSERT INTO forecasts (site_id, analysis_id, horizon_years, forecast_date, line_geom, band_geom, sigma_mean_m)
       VALUES (?, ?, ?, ?::date, ST_Multi(ST_Transform(${FROM_TEXT}, 4326)), ${validMulti(FROM_TEXT)}, ?)
       RETURNING id`,
      [input.siteId, analysisId, f.horizonYears, f.forecastDate, line, epsg, band, epsg, f.sigmaMeanM],
    );
    if (f.hazard && f.hazard.polygons.length > 0) {
      await trx.raw(
        `INSERT INTO hazard_zones (site_id, analysis_id, forecast_id, horizon_years, area_m2, geom)
         VALUES (?, ?, ?, ?, ?, ${validMulti(FROM_TEXT)})`,
        [
          input.siteId,
          analysisId,
          rows[0]!.id,
          f.horizonYears,
          f.hazard.areaM2,
          JSON.stringify({ type: 'MultiPolygon', coordinates: f.hazard.polygons }),
          epsg,
        ],
      );
      hazardZones++;
    }
  }
  return {
    analysisId,
    counts: {
      analyses: 1,
      transects: input.transects.length,
      transectStats: input.transects.length,
      intersections,
      changePolygons: changes.reduce((n, c) => n + c.polygons, 0),
      forecasts: input.forecasts.length,
      hazardZones,
    },
    changes,
  };
}

/**
 * Erosion and accretion polygons of each period, one row per polygon, with `area_m2` measured in the
 * metric CRS before the geometry is stored in EPSG:4326. Each date's land is sent once.
 */
async function insertChangePolygons(
  trx: Knex.Transaction,
  input: AnalysisWrite,
  analysisId: number,
): Promise<ChangeTotals[]> {
  if (input.changePeriods.length === 0) return [];
  const lands = input.lands.map((l) => ({
    date: l.date,
    geojson: { type: 'MultiPolygon', coordinates: l.polygons },
  }));
  const periods = input.changePeriods.map((p) => ({
    period_start: p.fromDate,
    period_end: p.toDate,
    period_kind: p.periodKind,
  }));
  const { rows } = await trx.raw<{
    rows: { period_start: string; period_end: string; period_kind: string; kind: string; area_m2: number }[];
  }>(
    `WITH land AS (
       SELECT (e ->> 'date')::date AS date, ST_MakeValid(${FROM_ROW}) AS g
       FROM jsonb_array_elements(?::jsonb) AS e
     ),
     period AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS p (period_start date, period_end date, period_kind text)
     ),
     piece AS (
       SELECT p.period_start, p.period_end, p.period_kind, k.kind,
              (ST_Dump(ST_CollectionExtract(
                 CASE k.kind WHEN 'erosion' THEN ST_Difference(a.g, b.g) ELSE ST_Difference(b.g, a.g) END, 3
              ))).geom AS g
       FROM period p
       JOIN land a ON a.date = p.period_start
       JOIN land b ON b.date = p.period_end
       CROSS JOIN (VALUES ('erosion'), ('accretion')) AS k (kind)
     )
     INSERT INTO change_polygons (site_id, analysis_id, kind, period_kind, period_start, period_end, area_m2, geom)
     SELECT ?, ?, kind, period_kind, period_start, period_end, ST_Area(g),
            ${validMulti('g')}
     FROM piece
     WHERE ST_Area(g) > 0
     RETURNING period_start, period_end, period_kind, kind, area_m2`,
    [input.epsg, JSON.stringify(lands), JSON.stringify(periods), input.siteId, analysisId],
  );
  return input.changePeriods.map((p) => {
    const mine = rows.filter(
      (r) => r.period_start === p.fromDate && r.period_end === p.toDate && r.period_kind === p.periodKind,
    );
    const sum = (kind: string) => mine.filter((r) => r.kind === kind).reduce((a, r) => a + r.area_m2, 0);
    return {
      periodStart: p.fromDate,
      periodEnd: p.toDate,
      periodKind: p.periodKind,
      erosionAreaM2: sum('erosion'),
      accretionAreaM2: sum('accretion'),
      polygons: mine.length,
    };
  });
}

function* batches<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) yield rows.slice(i, i + BATCH_ROWS);
}

/**
 * Reprojects lines between two CRSs with PostGIS (so any CRS it knows works). Unknown codes are
 * INVALID_INPUT naming the code.
 */
export async function transformLines(
  db: Queryable,
  lines: readonly (readonly XY[])[],
  fromEpsg: number,
  toEpsg: number,
): Promise<[number, number][][]> {
  const { rows: known } = await db.raw<{ rows: { srid: number }[] }>(
    'SELECT srid FROM spatial_ref_sys WHERE srid IN (?, ?)',
    [fromEpsg, toEpsg],
  );
  for (const epsg of [fromEpsg, toEpsg]) {
    if (!known.some((r) => r.srid === epsg)) {
      throw new TidemarkError('INVALID_INPUT', `EPSG:${epsg} is not a CRS known to PostGIS`, {
        details: { epsg },
      });
    }
  }
  if (lines.length === 0) return [];
  const { rows } = await db.raw<{ rows: { geometry: { coordinates: [number, number][][] } }[] }>(
    `SELECT ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?::text), ?::integer), ?::integer), 15)::json
       AS geometry`,
    [JSON.stringify({ type: 'MultiLineString', coordinates: lines }), fromEpsg, toEpsg],
  );
  return rows[0]!.geometry.coordinates.map((line) => line.map((p) => [p[0], p[1]]));
}
