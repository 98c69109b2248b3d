import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { correctObservationsForTide, type TidedObservation, tideCorrectionM } from './tide-correction.ts';

const spec = { slope: 0.001, zRefM: 0 };

describe('tideCorrectionM', () => {
  it('moves a low-tide waterline landward by |Δz| / tanβ (DSAS distances are positive seaward)', () => {
    // 1.5 m below z_ref on a 1:1000 flat: the water stands 1500 m seaward of the z_ref contour.
    expect(tideCorrectionM(-1.5, spec)).toBeCloseTo(-1500, 9);
  });
  it('moves a high-tide waterline seaward', () => {
    expect(tideCorrectionM(0.8, { slope: 0.02, zRefM: 0.3 })).toBeCloseTo(25, 9);
  });
  it('is zero at the reference level', () => {
    expect(tideCorrectionM(0.4, { slope: 0.05, zRefM: 0.4 })).toBe(0);
  });
  it.each([
    ['slope 0', { slope: 0, zRefM: 0 }, 0],
    ['negative slope', { slope: -0.01, zRefM: 0 }, 0],
    ['slope above 1', { slope: 2, zRefM: 0 }, 0],
    ['NaN slope', { slope: Number.NaN, zRefM: 0 }, 0],
    ['infinite z_ref', { slope: 0.01, zRefM: Number.POSITIVE_INFINITY }, 0],
    ['NaN tide', { slope: 0.01, zRefM: 0 }, Number.NaN],
  ])('rejects %s', (_name, bad, tide) => {
    expect(() => tideCorrectionM(tide, bad)).toThrow(TidemarkError);
  });
});

describe('correctObservationsForTide', () => {
  const observations: TidedObservation[] = [
    { yearDecimal: 2016.1, distanceM: 2000, uncertaintyM: 10, tideHeightM: -1, scene: '2016-02-10' },
    { yearDecimal: 2017.1, distanceM: 600, uncertaintyM: 10, tideHeightM: 0.4, scene: '2017-02-11' },
  ];

  it('brings waterlines of different tides onto the same z_ref contour', () => {
    const out = correctObservationsForTide(observations, spec);
    expect(out.map((o) => o.distanceM)).toEqual([1000, 1000]);
    expect(out.map((o) => o.rawDistanceM)).toEqual([2000, 600]);
    expect(out.map((o) => o.correctionM)).toEqual([-1000, 400]);
    expect(out[0]!.uncertaintyM).toBe(10);
  });

  it('leaves its input unchanged', () => {
    const copy = structuredClone(observations);
    correctObservationsForTide(observations, spec);
    expect(observations).toEqual(copy);
  });

  it('names every scene without a tide', () => {
    const bad = [
      ...observations,
      { yearDecimal: 2018.1, distanceM: 5, uncertaintyM: 10, tideHeightM: null, scene: '2018-02-01' },
      { yearDecimal: 2019.1, distanceM: 5, uncertaintyM: 10, tideHeightM: null, scene: '2019-02-03' },
    ];
    try {
      correctObservationsForTide(bad, spec);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(TidemarkError);
      expect((err as TidemarkError).message).toContain('2018-02-01, 2019-02-03');
      expect((err as TidemarkError).message).not.toContain('2016-02-10');
    }
  });
});
