import { describe, expect, it } from 'vitest';
import { describeFeature, rateClassName } from './feature-description.ts';
import { OVERLAY_IDS } from './layer-catalog.ts';

describe('describeFeature', () => {
  it.each([
    ['shorelines', { date: '2016-03-05', year: 2016 }, 'Shoreline of 2016-03-05'],
    ['shorelines', { year: 2016 }, 'Shoreline of 2016'],
    [
      'change',
      { kind: 'erosion', period_start: '2016-03-05', period_end: '2018-01-26', area_m2: 52_000 },
      'Erosion 2016–2018: 5.20 ha',
    ],
    ['change', { kind: 'accretion' }, 'Accretion'],
    [
      'transects',
      { transect_no: 12, lrr_m_yr: -0.848697, lrr_ci_m_yr: 1.391944, class: 'critical_erosion' },
      'Transect 12: LRR −0.85 ± 1.39 m/yr (critical erosion)',
    ],
    ['transects', { transect_no: 3 }, 'Transect 3: no rate'],
    [
      'forecasts',
      { kind: 'line', horizon_years: 10, forecast_date: '2035-03-04', sigma_mean_m: 16.1 },
      'Forecast shoreline, 10 years (2035-03-04), mean σ 16.1 m',
    ],
    ['forecasts', { kind: 'band', horizon_years: 20 }, '±1σ band of the forecast, 20 years'],
    ['hazard', { horizon_years: 10, area_m2: 1_000_000 }, 'Hazard zone, 10 years: 100.00 ha'],
    [
      'zones',
      { name: 'Pond 1', risk_class: 'high', years_to_impact: 1 },
      'Pond 1: high risk, impact in 1.0 years',
    ],
    ['zones', { name: 'Pond 9' }, 'Pond 9: not assessed'],
    ['sites', { name: 'Ca Mau', slug: 'ca-mau' }, 'Ca Mau'],
  ] as const)('%s %j → %s', (overlay, properties, expected) => {
    expect(describeFeature(overlay, properties)).toBe(expected);
  });

  it('says something for every overlay even with no attributes at all', () => {
    for (const id of OVERLAY_IDS) expect(describeFeature(id, {}).length).toBeGreaterThan(0);
  });

  it('does not change the attributes', () => {
    const properties = { transect_no: 1, lrr_m_yr: -1 };
    describeFeature('transects', properties);
    expect(properties).toEqual({ transect_no: 1, lrr_m_yr: -1 });
  });

  it('names rate classes in words', () => {
    expect(rateClassName('critical_erosion')).toBe('critical erosion');
    expect(rateClassName('new_class')).toBe('new class');
    expect(rateClassName(null)).toBeNull();
  });
});
