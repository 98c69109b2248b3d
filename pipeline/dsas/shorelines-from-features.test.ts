import { describe, expect, it } from 'vitest';
import type { LineCollection } from './read-line-features.ts';
import { shorelinesFromFeatures } from './shorelines-from-features.ts';

function collection(source: string, props: Record<string, unknown>[]): LineCollection {
  return {
    source,
    epsg: 32648,
    features: props.map((properties, index) => ({
      index,
      properties,
      lines: [
        [
          [index, 0],
          [index, 10],
        ],
      ],
    })),
  };
}

describe('shorelinesFromFeatures', () => {
  it('groups pieces by date, sorts by date and applies uncertainty_m per feature', () => {
    const a = collection('a.geojson', [{ date: '2020-01-01' }, { date: '2020-01-01', uncertainty_m: 4 }]);
    const b = collection('b.geojson', [{ date: '2010-07-02' }]);
    const s = shorelinesFromFeatures([a, b], 10);
    expect(s.map((x) => x.date)).toEqual(['2010-07-02', '2020-01-01']);
    expect(s[1]!.pieces.map((p) => p.uncertaintyM)).toEqual([10, 4]);
    expect(s[1]!.yearDecimal).toBe(2020);
  });

  it.each([
    [[collection('a.geojson', [{}])], /a.geojson: the shoreline has no 'date' property/],
    [[collection('a.geojson', [{ date: 'soon' }])], /a.geojson: date 'soon' is not an ISO 8601 date/],
    [
      [collection('a.geojson', [{ date: '2020-01-01' }]), collection('b.geojson', [{ date: '2020-01-01' }])],
      /duplicate shoreline date 2020-01-01: both a.geojson and b.geojson have it/,
    ],
    [
      [collection('a.geojson', [{ date: '2020-01-01', uncertainty_m: -3 }])],
      /uncertainty_m must be a positive number/,
    ],
    [
      [collection('a.geojson', [{ date: '2020-01-01', uncertainty_m: '5' }])],
      /uncertainty_m must be a positive number/,
    ],
  ])('rejects bad shoreline files (%#)', (collections, message) => {
    expect(() => shorelinesFromFeatures(collections, 10)).toThrow(message);
  });

  it('rejects a bad default uncertainty', () => {
    expect(() => shorelinesFromFeatures([], 0)).toThrow(/uncertainty must be a positive number/);
  });

  it('leaves its input unchanged', () => {
    const a = collection('a.geojson', [{ date: '2020-01-01' }]);
    const copy = structuredClone(a);
    shorelinesFromFeatures([a], 10);
    expect(a).toEqual(copy);
  });
});
