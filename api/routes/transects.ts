import type { Router, RouterContext } from '@koa/router';
import { TidemarkError } from '../../common/errors.ts';
import type { TransectStatsRow } from '../../store/analysis.ts';
import type { Database } from '../../store/db.ts';
import { getTransectSeries, type TransectSeries } from '../../store/transect-series.ts';
import { emptyQuerySchema, idParamSchema } from '../openapi/schemas.ts';
import { validate } from '../validate.ts';

const HORIZONS = [
  { years: 10, distance: 'forecast_10y_m', sigma: 'forecast_10y_sigma_m' },
  { years: 20, distance: 'forecast_20y_m', sigma: 'forecast_20y_sigma_m' },
] as const;

/** `YYYY-MM-DD` plus whole years (29 February lands on the 28th in a common year). */
function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

function regressionFit(s: TransectStatsRow, kind: 'lrr' | 'wlr') {
  const rate = s[`${kind}_m_yr`];
  const intercept = s[`${kind}_intercept_m`];
  if (rate === null || intercept === null) return null;
  return {
    rateMPerYr: rate,
    interceptM: intercept,
    r2: s[`${kind}_r2`],
    seM: s[`${kind}_se_m`],
    ciMPerYr: s[`${kind}_ci_m_yr`],
    confidencePct: s.confidence_pct,
  };
}

export function transectSeriesJson(t: TransectSeries) {
  const s = t.stats;
  const last = t.observations[t.observations.length - 1];
  const forecast =
    last === undefined
      ? []
      : HORIZONS.flatMap((h) => {
          const distanceM = s[h.distance];
          const sigmaM = s[h.sigma];
          if (distanceM === null || sigmaM === null) return [];
          // The Kalman filter runs from the transect's last shoreline date (pipeline/dsas/kalman-forecast.ts).
          return [
            {
              horizonYears: h.years,
              decimalYear: last.decimalYear + h.years,
              date: addYears(last.date, h.years),
              distanceM,
              sigmaM,
            },
          ];
        });
  return {
    transect: {
      id: t.id,
      transectNo: t.transectNo,
      site: t.siteSlug,
      analysisId: t.analysisId,
      lengthM: t.lengthM,
      azimuthDeg: t.azimuthDeg,
      geometry: t.geometry,
    },
    observations: t.observations.map((o) => ({
      date: o.date,
      decimalYear: o.decimalYear,
      distanceM: o.distanceM,
      uncertaintyM: o.uncertaintyM,
      sceneId: o.sceneId,
      shorelineId: o.shorelineId,
      correctedDistanceM: o.correctedDistanceM,
      tideCorrectionM: o.tideCorrectionM,
      tideHeightM: o.tideHeightM,
    })),
    method: { proxy: t.proxy, distanceBasis: t.distanceBasis },
    stats: {
      n: s.n,
      dateFirst: s.date_first,
      dateLast: s.date_last,
      nsmM: s.nsm_m,
      sceM: s.sce_m,
      eprMPerYr: s.epr_m_yr,
      eprUncMPerYr: s.epr_unc_m_yr,
      rateClass: s.rate_class,
    },
    lrr: regressionFit(s, 'lrr'),
    wlr: regressionFit(s, 'wlr'),
    forecast,
    links: {
      self: `/api/transects/${t.id}/series`,
      site: `/api/sites/${encodeURIComponent(t.siteSlug)}`,
    },
  };
}

/** `GET /api/transects/{id}/series`: dated positions, LRR/WLR fits, statistics and the Kalman forecast (±1σ). */
export function registerTransectRoutes(router: Router, deps: { db: Database }): void {
  router.get('/api/transects/:id/series', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const id = validate(idParamSchema, ctx.params.id, 'id');
    const series = await getTransectSeries(deps.db, id);
    if (series === null) {
      throw new TidemarkError(
        'NOT_FOUND',
        `no transect with id ${id} (ids change when a site is re-analysed)`,
      );
    }
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = transectSeriesJson(series);
  });
}
