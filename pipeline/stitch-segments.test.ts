import { describe, expect, it } from 'vitest';
import { CLASS_LAND, CLASS_WATER, marchingSquares, type SegmentSet } from './marching-squares.ts';
import { stitchSegments } from './stitch-segments.ts';

function contour(rows: string[]): SegmentSet {
  const height = rows.length;
  const width = rows[0]!.length;
  const classes = new Uint8Array(width * height);
  const field = new Float32Array(width * height);
  rows.forEach((row, y) => {
    [...row].forEach((c, x) => {
      classes[y * width + x] = c === 'w' ? CLASS_WATER : CLASS_LAND;
      field[y * width + x] = c === 'w' ? 0.4 : -0.6;
    });
  });
  const grid = {
    width,
    height,
    classes,
    field: { fieldAt: (i: number) => field[i]! },
    labels: new Int32Array(width * height),
    originX: 0,
    originY: 0,
  };
  return marchingSquares(grid, { x0: 0, y0: 0, x1: width - 1, y1: height - 1 }, width);
}

function subset(s: SegmentSet, keep: (i: number) => boolean): SegmentSet {
  const idx = Array.from({ length: s.count }, (_, i) => i).filter(keep);
  return {
    count: idx.length,
    coords: Float64Array.from(idx.flatMap((i) => Array.from(s.coords.subarray(4 * i, 4 * i + 4)))),
    edges: Float64Array.from(idx.flatMap((i) => Array.from(s.edges.subarray(2 * i, 2 * i + 2)))),
    tags: Int32Array.from(idx.map((i) => s.tags[i]!)),
  };
}

describe('stitchSegments', () => {
  it('closes the ring around a pond into one loop that repeats its first point', () => {
    const lines = stitchSegments([contour(['llll', 'lwwl', 'llll'])]);
    expect(lines).toHaveLength(1);
    const c = lines[0]!.coords;
    expect(lines[0]!.closed).toBe(true);
    expect([c[0], c[1]]).toEqual([c[c.length - 2], c[c.length - 1]]);
    expect(c.length / 2).toBe(7);
  });

  it('follows an open coast from border to border', () => {
    const lines = stitchSegments([contour(['wwll', 'wwwl', 'wwll', 'wlll'])]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.closed).toBe(false);
    expect(lines[0]!.coords.length / 2).toBe(7);
  });

  it('gives the same lines whatever the order or grouping of the segments', () => {
    const s = contour(['wwllw', 'wwwlw', 'lwlll', 'wlllw', 'wwlww']);
    const reference = stitchSegments([s]);
    const reversedOrder = subset(s, () => true);
    reversedOrder.coords = Float64Array.from(
      Array.from({ length: s.count }, (_, k) =>
        Array.from(s.coords.subarray(4 * (s.count - 1 - k), 4 * (s.count - k))),
      ).flat(),
    );
    reversedOrder.edges = Float64Array.from(
      Array.from({ length: s.count }, (_, k) =>
        Array.from(s.edges.subarray(2 * (s.count - 1 - k), 2 * (s.count - k))),
      ).flat(),
    );
    const split = [subset(s, (i) => i % 3 === 0), subset(s, (i) => i % 3 !== 0)];
    expect(stitchSegments([reversedOrder])).toEqual(reference);
    expect(stitchSegments(split)).toEqual(reference);
  });

  it('refuses a duplicated segment instead of drawing it twice', () => {
    const s = contour(['wl', 'wl']);
    expect(() => stitchSegments([s, s])).toThrow(/duplicated/);
  });

  it('leaves its inputs unchanged', () => {
    const s = contour(['wlw', 'lwl']);
    const copy = { coords: s.coords.slice(), edges: s.edges.slice() };
    stitchSegments([s]);
    expect(s.coords).toEqual(copy.coords);
    expect(s.edges).toEqual(copy.edges);
  });
});
