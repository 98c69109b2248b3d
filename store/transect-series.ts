import type { TransectStatsRow } from './analysis.ts';
import { TRANSECT_STAT_COLUMNS } from './analysis.ts';
import { listTransectObservations, type ObservationRecord } from './analysis-reads.ts';
import type { Database } from './db.ts';

/** One transect of a site's current analysis with its statistics and the shoreline positions on it. */
export interface TransectSeries {
  id: number;
  siteId: number;
  siteSlug: string;
  analysisId: number;
  transectNo: number;
  lengthM: number;
  azimuthDeg: number | null;
  geometry: { type: string; coordinates: unknown };
  stats: TransectStatsRow;
  observations: ObservationRecord[];
  /** Which positions the statistics were computed on, and the shoreline proxy of the analysis (issue 7). */
  distanceBasis: 'raw' | 'tide_corrected';
  proxy: 'waterline' | 'vegetation' | null;
}

/**
 * A transect's time series by transect id, or null when there is no such transect. Both reads run in one
 * repeatable-read transaction, so an analysis re-run in between cannot pair old statistics with new positions.
 */
export async function getTransectSeries(db: Database, transectId: number): Promise<TransectSeries | null> {
  return db.knex.transaction(
    async (trx) => {
      const row = (await trx('transects as t')
        .join('sites as s', 's.id', 't.site_id')
        .join('transect_stats as st', 'st.transect_id', 't.id')
        .join('analyses as a', 'a.id', 't.analysis_id')
        .select({
          id: 't.id',
          siteId: 't.site_id',
          siteSlug: 's.slug',
          analysisId: 't.analysis_id',
          transectNo: 't.transect_no',
          lengthM: 't.length_m',
          azimuthDeg: 't.azimuth_deg',
          distanceBasis: 'st.distance_basis',
        })
        .select(trx.raw("a.params ->> 'proxy' AS proxy"))
        .select(trx.raw('ST_AsGeoJSON(t.geom)::json AS geometry'))
        .select(TRANSECT_STAT_COLUMNS.map((c) => `st.${c}`))
        .where('t.id', transectId)
        .first()) as (Omit<TransectSeries, 'stats' | 'observations'> & TransectStatsRow) | undefined;
      if (!row) return null;
      const stats = {} as Record<string, unknown>;
      for (const c of TRANSECT_STAT_COLUMNS) stats[c] = row[c];
      const observations = await listTransectObservations(trx, row.siteId, row.transectNo);
      return {
        id: row.id,
        siteId: row.siteId,
        siteSlug: row.siteSlug,
        analysisId: row.analysisId,
        transectNo: row.transectNo,
        lengthM: row.lengthM,
        azimuthDeg: row.azimuthDeg,
        geometry: row.geometry,
        stats: stats as unknown as TransectStatsRow,
        observations,
        distanceBasis: row.distanceBasis,
        proxy: row.proxy ?? null,
      };
    },
    { isolationLevel: 'repeatable read' },
  );
}
