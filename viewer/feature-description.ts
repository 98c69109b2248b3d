import { formatAreaHa, formatDistanceM, formatRateWithCi, formatYears } from './format.ts';
import type { OverlayId } from './layer-catalog.ts';

function text(properties: Record<string, unknown>, key: string): string | null {
  const value = properties[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(properties: Record<string, unknown>, key: string): number | null {
  const value = properties[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const RATE_CLASS_NAMES: Record<string, string> = {
  critical_erosion: 'critical erosion',
  erosion: 'erosion',
  stable: 'stable',
  accretion: 'accretion',
};

/** "critical_erosion" → "critical erosion"; an unknown class is shown as sent, underscores spaced. */
export function rateClassName(rateClass: string | null): string | null {
  if (rateClass === null) return null;
  return RATE_CLASS_NAMES[rateClass] ?? rateClass.replaceAll('_', ' ');
}

/**
 * The one-line tooltip for a feature under the pointer, from its tile attributes alone (no request on
 * hover). Attributes MVT dropped (nulls) are simply left out of the text.
 */
export function describeFeature(overlay: OverlayId, properties: Record<string, unknown>): string {
  switch (overlay) {
    case 'shorelines': {
      const date = text(properties, 'date');
      if (date !== null) return `Shoreline of ${date.slice(0, 10)}`;
      const year = num(properties, 'year');
      return year === null ? 'Shoreline' : `Shoreline of ${year}`;
    }
    case 'change': {
      const kind = text(properties, 'kind') === 'accretion' ? 'Accretion' : 'Erosion';
      const start = text(properties, 'period_start');
      const end = text(properties, 'period_end');
      const period = start && end ? ` ${start.slice(0, 4)}–${end.slice(0, 4)}` : '';
      const area = num(properties, 'area_m2');
      return `${kind}${period}${area === null ? '' : `: ${formatAreaHa(area)}`}`;
    }
    case 'transects': {
      const no = num(properties, 'transect_no');
      const rate = num(properties, 'lrr_m_yr');
      const cls = rateClassName(text(properties, 'class'));
      const head = no === null ? 'Transect' : `Transect ${no}`;
      if (rate === null) return `${head}: no rate`;
      return `${head}: LRR ${formatRateWithCi(rate, num(properties, 'lrr_ci_m_yr'))}${cls ? ` (${cls})` : ''}`;
    }
    case 'forecasts': {
      const horizon = num(properties, 'horizon_years');
      const date = text(properties, 'forecast_date');
      const kind = text(properties, 'kind') === 'band' ? '±1σ band of the forecast' : 'Forecast shoreline';
      const sigma = num(properties, 'sigma_mean_m');
      return (
        `${kind}${horizon === null ? '' : `, ${horizon} years`}${date ? ` (${date.slice(0, 10)})` : ''}` +
        (sigma === null ? '' : `, mean σ ${formatDistanceM(sigma)}`)
      );
    }
    case 'hazard': {
      const horizon = num(properties, 'horizon_years');
      const area = num(properties, 'area_m2');
      return `Hazard zone${horizon === null ? '' : `, ${horizon} years`}${area === null ? '' : `: ${formatAreaHa(area)}`}`;
    }
    case 'zones': {
      const name = text(properties, 'name') ?? 'Zone';
      const risk = text(properties, 'risk_class');
      const years = num(properties, 'years_to_impact');
      if (risk === null) return `${name}: not assessed`;
      return `${name}: ${risk.replaceAll('_', ' ')} risk${years === null ? '' : `, impact in ${formatYears(years)}`}`;
    }
    case 'sites': {
      return text(properties, 'name') ?? text(properties, 'slug') ?? 'Site';
    }
  }
}
