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
});
