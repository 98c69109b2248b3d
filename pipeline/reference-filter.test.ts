import { describe, expect, it } from 'vitest';
import type { SegmentSet } from './marching-squares.ts';
import { keepNearReference } from './reference-filter.ts';

function segments(list: [number, number, number, number][]): SegmentSet {
  return {
    count: list.length,
    coords: Float64Array.from(list.flat()),
    edges: Float64Array.from(list.flatMap((_, i) => [2 * i, 2 * i + 1])),
    tags: Int32Array.from(list.map((_, i) => i + 1)),
  };
}

describe('keepNearReference', () => {
  const reference = [
    [
      [10, 0],
      [10, 100],
    ] as [number, number][],
  ];

  it('keeps segments with both ends inside the buffer and drops the others', () => {
    const set = segments([
      [11, 5, 12, 6],
      [40, 5, 41, 6],
      [14, 50, 30, 51],
    ]);
    const kept = keepNearReference(set, reference, 5);
    expect(kept.count).toBe(1);
    expect(Array.from(kept.tags)).toEqual([1]);
    expect(Array.from(kept.edges)).toEqual([0, 1]);
  });

  it('rejects a non-positive buffer and leaves its input unchanged', () => {
    const set = segments([[11, 5, 12, 6]]);
    expect(() => keepNearReference(set, reference, 0)).toThrow(RangeError);
    const copy = set.coords.slice();
    keepNearReference(set, reference, 3);
    expect(set.coords).toEqual(copy);
  });
});
