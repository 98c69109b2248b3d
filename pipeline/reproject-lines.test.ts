import { describe, expect, it } from 'vitest';
import { reprojectLine, toWgs84 } from './reproject-lines.ts';

const UTM48N = '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs';

describe('reprojectLine', () => {
  it('projects UTM 48N to longitude/latitude (central meridian 105°E on the equator)', () => {
    const [p] = reprojectLine(Float64Array.of(500000, 0), toWgs84(UTM48N));
    expect(p![0]).toBeCloseTo(105, 9);
    expect(p![1]).toBeCloseTo(0, 9);
  });

  it('rounds to the requested decimals', () => {
    const identity = (x: number, y: number): [number, number] => [x, y];
    expect(reprojectLine(Float64Array.of(1.23456789012, 2.5), identity, 3)).toEqual([[1.235, 2.5]]);
  });

  it('fails loudly for a point that does not project', () => {
    const broken = (): [number, number] => [Number.NaN, 0];
    expect(() => reprojectLine(Float64Array.of(1, 2), broken)).toThrow(/does not project/);
  });

  it('leaves its input unchanged', () => {
    const line = Float64Array.of(500000, 1000000);
    reprojectLine(line, toWgs84(UTM48N));
    expect(Array.from(line)).toEqual([500000, 1000000]);
  });
});
