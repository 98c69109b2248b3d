import { describe, expect, it } from 'vitest';
import type { TransectResult } from './compute-rates.ts';
import { RATE_PROPERTY_NAMES, rateProperties } from './rate-properties.ts';
import { computeTransectStats } from './transect-stats.ts';

const transect = {
  id: 7,
  origin: [0, 0] as const,
  dir: [0, 1] as const,
  sMinM: 0,
  sMaxM: 100,
  baselinePart: 0,
};

describe('rateProperties', () => {
  it('flattens a result with explicit nulls and every listed name', () => {
    const observations = [
      { yearDecimal: 2000, distanceM: 10, uncertaintyM: 10 },
      { yearDecimal: 2010, distanceM: 5, uncertaintyM: 10 },
    ];
    const result: TransectResult = {
      transect,
      observations,
      stats: computeTransectStats(observations, 0.9),
      forecast: null,
    };
    const props = rateProperties(result);
    expect(Object.keys(props)).toEqual(RATE_PROPERTY_NAMES);
    expect(props).toMatchObject({
      transect_id: 7,
      n: 2,
      nsm_m: -5,
      epr_m_yr: -0.5,
      lrr_m_yr: null,
      class: 'stable',
    });
    expect(props.forecast_10y_m).toBeNull();
    expect(JSON.stringify(props)).not.toMatch(/NaN/);
  });

  it('takes the 10- and 20-year forecast points', () => {
    const observations = [{ yearDecimal: 2000, distanceM: 10, uncertaintyM: 10 }];
    const forecast = {
      rateMPerYr: 1,
      points: [
        { horizonYr: 10, year: 2010, positionM: 1.23456789, sigmaM: 2 },
        { horizonYr: 20, year: 2020, positionM: 3, sigmaM: 4 },
      ],
    };
    const props = rateProperties({
      transect,
      observations,
      stats: computeTransectStats(observations, 0.9),
      forecast,
    });
    expect(props).toMatchObject({
      forecast_10y_m: 1.234568,
      forecast_10y_sigma_m: 2,
      forecast_20y_m: 3,
      forecast_20y_sigma_m: 4,
    });
  });
});
