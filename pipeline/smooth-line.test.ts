import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../fixtures/seeded-random.ts';
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

  it('gives exactly the passes of the ¼·½·¼ kernel, open or closed', () => {
    // Reference: one kernel pass after another, each from a fresh copy of the previous pass.
    const reference = (coords: Float64Array, closed: boolean, passes: number) => {
      const n = closed ? coords.length / 2 - 1 : coords.length / 2;
      let current = Array.from(coords.subarray(0, 2 * n));
      for (let pass = 0; pass < passes; pass++) {
        const next = current.slice();
        for (let k = closed ? 0 : 1; k < (closed ? n : n - 1); k++) {
          const prev = (k - 1 + n) % n;
          const after = (k + 1) % n;
          for (const c of [0, 1]) {
            next[2 * k + c] =
              0.25 * current[2 * prev + c]! + 0.5 * current[2 * k + c]! + 0.25 * current[2 * after + c]!;
          }
        }
        current = next;
      }
      return closed ? [...current, current[0]!, current[1]!] : current;
    };
    const random = mulberry32(3);
    const open = Float64Array.from({ length: 2 * 57 }, () => 100 * random());
    const closed = Float64Array.from([...open, open[0]!, open[1]!]);
    for (const passes of [0, 1, 2, 3]) {
      expect(Array.from(smoothLine(open, false, passes))).toEqual(reference(open, false, passes));
      expect(Array.from(smoothLine(closed, true, passes))).toEqual(reference(closed, true, passes));
    }
  });

  it('rejects a bad number of passes and leaves its input unchanged', () => {
    const line = Float64Array.of(0, 0, 1, 2, 2, 0);
    expect(() => smoothLine(line, false, -1)).toThrow(RangeError);
    smoothLine(line, false, 2);
    expect(Array.from(line)).toEqual([0, 0, 1, 2, 2, 0]);
  });
});
