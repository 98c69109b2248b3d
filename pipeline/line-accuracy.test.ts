import { describe, expect, it } from 'vitest';
import { type Line, lineAccuracy, samplePoints } from './line-accuracy.ts';

const straight = (x: number): Line => [
  [x, 0],
  [x, 100],
];

describe('lineAccuracy', () => {
  it('measures a constant offset exactly', () => {
    const a = lineAccuracy([straight(0)], [straight(0.5)], { stepM: 1, nearM: 1, farM: 3 });
    expect(a.rmseM).toBeCloseTo(0.5, 9);
    expect(a.p95M).toBeCloseTo(0.5, 9);
    expect(a.completeness).toBe(1);
    expect(a.falseShare).toBe(0);
  });

  it('counts our lines far from the truth as false, and missed truth as incomplete', () => {
    const pond: Line = [
      [50, 50],
      [60, 50],
      [60, 60],
      [50, 60],
      [50, 50],
    ];
    const a = lineAccuracy([straight(0)], [straight(0.2), pond], { stepM: 1, nearM: 1, farM: 3 });
    expect(a.falseShare).toBeCloseTo(41 / (101 + 41), 9);
    const b = lineAccuracy([straight(0), straight(200)], [straight(0)], { stepM: 1, nearM: 1, farM: 3 });
    expect(b.completeness).toBeCloseTo(0.5, 2);
    expect(b.rmseM).toBeCloseTo(0, 9);
  });

  it('samples only inside the box', () => {
    expect(samplePoints([straight(0)], 10, { minX: -1, minY: 0, maxX: 1, maxY: 45 })).toHaveLength(5);
  });

  it('leaves its inputs unchanged', () => {
    const truth = [straight(0)];
    const copy = JSON.stringify(truth);
    lineAccuracy(truth, [straight(1)], { stepM: 5, nearM: 1, farM: 3 });
    expect(JSON.stringify(truth)).toBe(copy);
  });
});
