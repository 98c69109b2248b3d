import { kinks, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { rint, signedArea, type TileLine, tileLines, tilePoints, tilePolygons } from './tile-geometry.ts';

const BOX = { min: -64, max: 4160 };

describe('rint', () => {
  it('rounds halves to even, like C rint()', () => {
    expect([-64.5, -63.5, 0.5, 1.5, 2.5, 2.4, 2.6, -2.6].map(rint)).toEqual([-64, -64, 0, 2, 2, 2, 3, -3]);
  });
});

describe('tileLines', () => {
  it('snaps, drops repeated and collinear points, and drops lines that collapse', () => {
    const lines: TileLine[] = [
      [
        [0.2, 0.1],
        [0.4, -0.2],
        [10, 0],
        [20, 0],
        [20, 10.6],
      ],
      [
        [5, 5],
        [5.2, 4.9],
      ],
    ];
    expect(tileLines(lines, BOX)).toEqual([
      [
        [0, 0],
        [20, 0],
        [20, 11],
      ],
    ]);
  });

  it('cuts lines at the buffered tile edge, splitting a line that leaves and comes back', () => {
    const line: TileLine = [
      [100, 100],
      [100, -200],
      [200, -200],
      [200, 100],
    ];
    expect(tileLines([line], BOX)).toEqual([
      [
        [100, 100],
        [100, -64],
      ],
      [
        [200, -64],
        [200, 100],
      ],
    ]);
  });

  it('drops pieces running along the clip edge (GEOS ClipByRect), unless nothing needs clipping', () => {
    const along: TileLine = [
      [10, -100],
      [10, -64],
      [50, -64],
      [50, 10],
    ];
    expect(tileLines([along], BOX)).toEqual([
      [
        [50, -64],
        [50, 10],
      ],
    ]);
    const inside: TileLine = [
      [10, -64],
      [50, -64],
      [50, 10],
    ];
    expect(tileLines([inside], BOX)).toEqual([inside]);
  });

  it('does not modify its input', () => {
    const lines: TileLine[] = [
      [
        [0.5, -300.5],
        [1.5, 2.5],
        [1.5, 2.5],
        [3, 4],
      ],
    ];
    const before = JSON.stringify(lines);
    tileLines(lines, BOX);
    expect(JSON.stringify(lines)).toBe(before);
  });
});

describe('tilePoints', () => {
  it('snaps, drops duplicates and points outside or on the edge of the box', () => {
    expect(
      tilePoints(
        [
          [1.2, 1.4],
          [0.9, 1],
          [-100, 5],
          [-64, 5],
          [7, 7],
        ],
        BOX,
      ),
    ).toEqual([
      [1, 1],
      [7, 7],
    ]);
  });
});

describe('tilePolygons', () => {
  it('clips rings to the box, closes them, and drops rings that collapse', () => {
    const outer: TileLine = [
      [-200, 0],
      [100, 0],
      [100, 100],
      [-200, 100],
      [-200, 0],
    ];
    const tinyHole: TileLine = [
      [10, 10],
      [10.2, 10],
      [10.2, 10.2],
      [10, 10],
    ];
    const [polygon, ...rest] = tilePolygons([[outer, tinyHole]], BOX);
    expect(rest).toEqual([]);
    expect(polygon).toHaveLength(1);
    const ring = polygon![0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(Math.min(...ring.map((p) => p[0]))).toBe(-64);
    expect(Math.abs(signedArea(ring))).toBe(164 * 100);
  });

  const ring = (...points: [number, number][]): TileLine => [...points, points[0]!];
  const area = (polygons: TileLine[][]) =>
    polygons.reduce(
      (sum, rings) => sum + rings.reduce((a, r, i) => a + (i === 0 ? 1 : -1) * Math.abs(signedArea(r)), 0),
      0,
    );

  it('splits a shape that leaves the tile and comes back into separate valid polygons', () => {
    // An arch (∩) whose top bar lies above the box: clipped, its legs are two polygons, not one ring
    // doubled back along the tile edge (what a ring-by-ring clip gives).
    const arch = ring(
      [100, -300],
      [900, -300],
      [900, 600],
      [800, 600],
      [800, -200],
      [200, -200],
      [200, 600],
      [100, 600],
    );
    const out = tilePolygons([[arch]], BOX);
    expect(out).toHaveLength(2);
    for (const legs of out) {
      expect(legs).toHaveLength(1);
      expect(kinks(polygon(legs)).features).toEqual([]);
      const xs = legs[0]!.map((p) => p[0]);
      expect(Math.max(...xs) - Math.min(...xs)).toBe(100);
    }
    expect(area(out)).toBe(2 * 100 * (600 + 64));
  });

  it('makes a self-intersecting ring valid: a bow tie becomes two triangles', () => {
    const bowTie = ring([0, 0], [100, 100], [100, 0], [0, 100]);
    const out = tilePolygons([[bowTie]], BOX);
    expect(out).toHaveLength(2);
    for (const p of out) expect(kinks(polygon(p)).features).toEqual([]);
    expect(area(out)).toBe(2 * 2500);
    // Where the edges cross off the grid, the new vertex is rounded to the nearest unit (166.7 → 167).
    const skewed = tilePolygons([[ring([100, 100], [200, 200], [200, 100], [150, 200])]], BOX);
    expect(skewed.flat(2)).toContainEqual([167, 167]);
  });

  it('keeps holes, cut where they cross the tile edge', () => {
    const outer = ring([-500, -500], [1000, -500], [1000, 1000], [-500, 1000]);
    const inside = ring([100, 100], [200, 100], [200, 200], [100, 200]);
    const across = ring([-200, 300], [0, 300], [0, 400], [-200, 400]);
    const out = tilePolygons([[outer, inside, across]], BOX);
    // The hole across the edge opens the exterior; the one inside stays a hole.
    expect(out).toHaveLength(1);
    expect(out[0]).toHaveLength(2);
    expect(area(out)).toBe(1064 * 1064 - 100 * 100 - 64 * 100);
  });

  it('gives the buffered tile itself for a polygon that covers it', () => {
    const out = tilePolygons([[ring([-9000, -9000], [9000, -9000], [9000, 9000], [-9000, 9000])]], BOX);
    expect(area(out)).toBe(4224 * 4224);
  });

  it('truncates cut points towards zero, as wagyu does', () => {
    // The slanted top edge crosses x = 4160 at y = -49.6 (not rounded to -50).
    const sliver = ring([3000, -48], [4224, -50.4], [4224, 10], [3000, 10]);
    const [shape] = tilePolygons([[sliver]], BOX);
    expect(shape![0]).toContainEqual([4160, -49]);
  });

  it('drops spikes and the smallest triangles, like wagyu snap rounding', () => {
    // p→v→q where v→q passes through the pixel of p: v is the tip of a spike.
    const spiky = ring([3326, 936], [3309, 958], [3342, 914], [3500, 500], [3200, 500]);
    const [shape] = tilePolygons([[spiky]], BOX);
    expect(shape![0]).not.toContainEqual([3309, 958]);
    expect(tilePolygons([[ring([100, 100], [101, 100], [101, 101])]], BOX)).toEqual([]);
    expect(tilePolygons([[ring([100, 100], [102, 100], [102, 101])]], BOX)).toHaveLength(1);
  });

  it('does not modify its input', () => {
    const input = [[ring([-100.4, 0.6], [300.2, 0], [300, 300], [0, 300])]];
    const before = JSON.stringify(input);
    tilePolygons(input, BOX);
    expect(JSON.stringify(input)).toBe(before);
  });
});
