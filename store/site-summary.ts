import type { Database } from './db.ts';
import { type Queryable, toQueryable } from './queryable.ts';
import type { Site } from './sites.ts';

/** What a site holds, for listings and the site page: scenes, shoreline years and their extent. */
export interface SiteContents {
  siteId: number;
  sceneCount: number;
  /** Distinct years with a stored shoreline, ascending. */
  years: number[];
  /** CRS84 [west, south, east, north] of the stored shorelines; null before the first ingest. */
  bbox: [number, number, number, number] | null;
}

/** The headline numbers of a site's current analysis. */
export interface AnalysisSummary {
  analysisId: number;
  createdAt: Date;
  dateFirst: string;
  dateLast: string;
  shorelineCount: number;
  transectCount: number;
  transectsWithRate: number;
  /** Transect spacing of the analysis (null for user-supplied transects). */
  spacingM: number | null;
  /** Coast length by rate class: transects of the class × spacing (null without a spacing). */
  erodingKm: number | null;
  accretingKm: number | null;
  stableKm: number | null;
  classCounts: { critical_erosion: number; erosion: number; stable: number; accretion: number };
  meanLrrMPerYr: number | null;
  /** The most negative LRR (strongest erosion), and the transect it belongs to. */
  worstLrrMPerYr: number | null;
  worstTransectId: number | null;
  /**
   * Shorelines of the analysis's proxy stored since it was made (a new scene, an imported line): they are
   * not in its results until the site is analysed again. Null for an analysis that did not record its
   * inputs (made before that was stored).
   */
  newShorelineCount: number | null;
}

/** Scene count, shoreline years and extent of each given site (one statement). */
export async function getSiteContents(
  db: Queryable | Database,
  sites: readonly Site[],
): Promise<Map<number, SiteContents>> {
  const out = new Map<number, SiteContents>();
  if (sites.length === 0) return out;
  const { rows } = await toQueryable(db).raw<{
    rows: {
      site_id: number;
      scene_count: number;
      years: number[] | null;
      west: number | null;
      south: number | null;
      east: number | null;
      north: number | null;
    }[];
  }>(
    `SELECT s.id AS site_id,
            (SELECT count(*) FROM scenes sc WHERE sc.site_id = s.id)::integer AS scene_count,
            (SELECT array_agg(DISTINCT extract(year FROM sh.date)::integer ORDER BY extract(year FROM sh.date)::integer)
               FROM shorelines sh WHERE sh.site_id = s.id) AS years,
            ST_XMin(e.box) AS west, ST_YMin(e.box) AS south, ST_XMax(e.box) AS east, ST_YMax(e.box) AS north
     FROM sites s
     CROSS JOIN LATERAL (SELECT ST_Extent(sh.geom) AS box FROM shorelines sh WHERE sh.site_id = s.id) e
     WHERE s.id = ANY(?::integer[])`,
    [sites.map((s) => s.id)],
  );
  for (const row of rows) {
    out.set(row.site_id, {
      siteId: row.site_id,
      sceneCount: row.scene_count,
      years: row.years ?? [],
      bbox:
        row.west === null || row.south === null || row.east === null || row.north === null
          ? null
          : [row.west, row.south, row.east, row.north],
    });
  }
  return out;
}

/** The current analysis's summary, or null when the site has never been analysed (one statement). */
export async function getAnalysisSummary(
  db: Queryable | Database,
  siteId: number,
): Promise<AnalysisSummary | null> {
  const { rows } = await toQueryable(db).raw<{
    rows: {
      analysis_id: number;
      created_at: Date;
      date_first: string;
      date_last: string;
      shoreline_count: number;
      spacing_m: number | null;
      transect_count: number;
      with_rate: number;
      critical_erosion: number;
      erosion: number;
      stable: number;
      accretion: number;
      mean_lrr: number | null;
      worst_lrr: number | null;
      worst_transect_id: number | null;
      new_shorelines: number | null;
    }[];
  }>(
    `WITH a AS (
       SELECT id, site_id, created_at, date_first, date_last, shoreline_count, shoreline_ids, params
       FROM analyses WHERE site_id = ? ORDER BY id DESC LIMIT 1
     )
     SELECT a.id AS analysis_id, a.created_at, a.date_first, a.date_last, a.shoreline_count,
            CASE WHEN jsonb_typeof(a.params -> 'spacing_m') = 'number' THEN (a.params ->> 'spacing_m')::double precision END
              AS spacing_m,
            (SELECT count(*) FROM transects t WHERE t.analysis_id = a.id)::integer AS transect_count,
            count(st.lrr_m_yr)::integer AS with_rate,
            count(*) FILTER (WHERE st.rate_class = 'critical_erosion')::integer AS critical_erosion,
            count(*) FILTER (WHERE st.rate_class = 'erosion')::integer AS erosion,
            count(*) FILTER (WHERE st.rate_class = 'stable')::integer AS stable,
            count(*) FILTER (WHERE st.rate_class = 'accretion')::integer AS accretion,
            avg(st.lrr_m_yr) AS mean_lrr,
            min(st.lrr_m_yr) AS worst_lrr,
            (SELECT s2.transect_id FROM transect_stats s2 WHERE s2.analysis_id = a.id AND s2.lrr_m_yr IS NOT NULL
              ORDER BY s2.lrr_m_yr, s2.transect_id LIMIT 1) AS worst_transect_id,
            CASE WHEN a.shoreline_ids IS NOT NULL THEN
              (SELECT count(*) FROM shorelines sh
                WHERE sh.site_id = a.site_id AND sh.proxy = coalesce(a.params ->> 'proxy', 'waterline')
                  AND sh.id <> ALL (a.shoreline_ids))::integer
            END AS new_shorelines
     FROM a LEFT JOIN transect_stats st ON st.analysis_id = a.id
     GROUP BY a.id, a.site_id, a.created_at, a.date_first, a.date_last, a.shoreline_count, a.shoreline_ids, a.params`,
    [siteId],
  );
  const r = rows[0];
  if (!r) return null;
  const km = (count: number) => (r.spacing_m === null ? null : (count * r.spacing_m) / 1000);
  return {
    analysisId: r.analysis_id,
    createdAt: r.created_at,
    dateFirst: r.date_first,
    dateLast: r.date_last,
    shorelineCount: r.shoreline_count,
    transectCount: r.transect_count,
    transectsWithRate: r.with_rate,
    spacingM: r.spacing_m,
    erodingKm: km(r.critical_erosion + r.erosion),
    accretingKm: km(r.accretion),
    stableKm: km(r.stable),
    classCounts: {
      critical_erosion: r.critical_erosion,
      erosion: r.erosion,
      stable: r.stable,
      accretion: r.accretion,
    },
    meanLrrMPerYr: r.mean_lrr,
    worstLrrMPerYr: r.worst_lrr,
    worstTransectId: r.worst_transect_id,
    newShorelineCount: r.new_shorelines,
  };
}
