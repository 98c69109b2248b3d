import type { TransectResult } from './compute-rates.ts';

/**
 * The flat, snake_case properties of one transect, as `tidemark rates` writes them and the store keeps them.
 * Missing values are null (never NaN); numbers are rounded to 1e-6 of their unit.
 */
export interface RateProperties {
  transect_id: number;
  n: number;
  nsm_m: number | null;
  sce_m: number | null;
  epr_m_yr: number | null;
  epr_unc_m_yr: number | null;
  lrr_m_yr: number | null;
  lrr_r2: number | null;
  lrr_se_m: number | null;
  lrr_ci_m_yr: number | null;
  wlr_m_yr: number | null;
  wlr_r2: number | null;
  wlr_se_m: number | null;
  wlr_ci_m_yr: number | null;
  class: string | null;
  forecast_10y_m: number | null;
  forecast_10y_sigma_m: number | null;
  forecast_20y_m: number | null;
  forecast_20y_sigma_m: number | null;
}

/** Column order of the rate properties (CSV header, store columns). */
export const RATE_PROPERTY_NAMES: readonly (keyof RateProperties)[] = [
  'transect_id',
  'n',
  'nsm_m',
  'sce_m',
  'epr_m_yr',
  'epr_unc_m_yr',
  'lrr_m_yr',
  'lrr_r2',
  'lrr_se_m',
  'lrr_ci_m_yr',
  'wlr_m_yr',
  'wlr_r2',
  'wlr_se_m',
  'wlr_ci_m_yr',
  'class',
  'forecast_10y_m',
  'forecast_10y_sigma_m',
  'forecast_20y_m',
  'forecast_20y_sigma_m',
];

function round6(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.round(value * 1e6) / 1e6;
}

export function rateProperties(result: TransectResult): RateProperties {
  const { stats, forecast } = result;
  const at = (horizonYr: number) => forecast?.points.find((p) => p.horizonYr === horizonYr) ?? null;
  const f10 = at(10);
  const f20 = at(20);
  return {
    transect_id: result.transect.id,
    n: stats.n,
    nsm_m: round6(stats.nsmM),
    sce_m: round6(stats.sceM),
    epr_m_yr: round6(stats.eprMPerYr),
    epr_unc_m_yr: round6(stats.eprUncMPerYr),
    lrr_m_yr: round6(stats.lrr?.rateMPerYr),
    lrr_r2: round6(stats.lrr?.r2),
    lrr_se_m: round6(stats.lrr?.seM),
    lrr_ci_m_yr: round6(stats.lrr?.ciMPerYr),
    wlr_m_yr: round6(stats.wlr?.rateMPerYr),
    wlr_r2: round6(stats.wlr?.r2),
    wlr_se_m: round6(stats.wlr?.seM),
    wlr_ci_m_yr: round6(stats.wlr?.ciMPerYr),
    class: stats.rateClass,
    forecast_10y_m: round6(f10?.positionM),
    forecast_10y_sigma_m: round6(f10?.sigmaM),
    forecast_20y_m: round6(f20?.positionM),
    forecast_20y_sigma_m: round6(f20?.sigmaM),
  };
}
