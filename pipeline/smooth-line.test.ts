import { describe, expect, it } from 'vitest';
import { smoothLine } from './smooth-line.ts';

describe('smoothLine', () => {
  it('keeps straight lines and the end points of open lines', () => {
    const line = Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3);
    expect(Array.from(smoothLine(line, false, 3))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('damps a zig-zag', () => {
    const zigzag = Float64Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? i / 2 : (i % 4 === 1 ? 1 : -1) * 0.2,
    );
    const smoothed = smoothLine(zigzag, false, 2);
    for (let k = 2; k < 18; k++) expect(Math.abs(smoothed[2 * k + 1]!)).toBeLessThan(0.06);
  });

  it('wraps closed lines around and keeps them closed', () => {
    const square = Float64Array.of(0, 0, 1, 0, 1, 1, 0, 1, 0, 0);
    const out = smoothLine(square, true, 1);
    expect(out.length).toBe(10);
    expect([out[0], out[1]]).toEqual([out[8], out[9]]);
    expect(out[0]).toBeCloseTo(0.25, 12);
    expect(out[1]).toBeCloseTo(0.25, 12);
  });

  it('rejects a bad number of passes and leaves its input unchanged', () => {
    const line = Float64Array.of(0, 0, 1, 2, 2, 0);
    expect(() => smoothLine(line, false, -1)).toThrow(RangeError);
    smoothLine(line, false, 2);
    expect(Array.from(line)).toEqual([0, 0, 1, 2, 2, 0]);
  });
});
