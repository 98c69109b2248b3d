import { kinks, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { type PolygonXY, planarAreaM2 } from '../pipeline/dsas/polygon-ops.ts';
import type { LineXY, XY } from '../pipeline/dsas/types.ts';
import { closeLand, type LandFrame, landFrame, orientSeaRight } from './shoreline-land.ts';

function valid(p: PolygonXY): boolean {
  return kinks(polygon(p.map((r) => r.map((q) => [q[0], q[1]])))).features.length === 0;
}

/** A wiggly north–south coast at x ≈ x0 from y = 1000 down to y = 0 (sea west, on the right). */
function coast(x0: number, steps = 50): XY[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const y = 1000 - (1000 * i) / steps;
    return [x0 + 20 * Math.sin(y / 90), y] as XY;
  });
}

/** Exact area east of that coast up to x = east, between y = 0 and 1000 (trapezoids of its vertices). */
function areaEastOf(line: LineXY, east: number): number {
  let area = 0;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!;
    const b = line[i]!;
    area += ((east - a[0] + (east - b[0])) / 2) * Math.abs(a[1] - b[1]);
  }
  return area;
}

const box = (minX: number, minY: number, maxX: number, maxY: number, snapSides: LandFrame['snapSides']) => ({
  minX,
  minY,
  maxX,
  maxY,
  snapSides,
  snapToleranceM: 5,
});

describe('landFrame', () => {
  it('keeps the sides shorelines run out of at the data edge and pushes the others out', () => {
    const a = coast(400);
    const b = coast(600);
    const before = structuredClone([a, b]);
    const frame = landFrame([[a], [b]], { marginM: 50, snapToleranceM: 5 });
    expect([a, b]).toEqual(before);
    const xs = [...a, ...b].map((p) => p[0]);
    expect(frame.snapSides).toEqual(['south', 'north']);
    expect(frame.minY).toBe(0);
    expect(frame.maxY).toBe(1000);
    expect(frame.minX).toBeCloseTo(Math.min(...xs) - 50, 9);
    expect(frame.maxX).toBeCloseTo(Math.max(...xs) + 50, 9);
  });

  it('uses defaults that scale with the data', () => {
    const frame = landFrame([[coast(400)], [coast(700)]]);
    expect(frame.snapToleranceM).toBeGreaterThanOrEqual(1);
    expect(frame.maxX - frame.minX).toBeGreaterThan(300 + 40);
  });

  it('rejects shorelines that span no area', () => {
    expect(() =>
      landFrame([
        [
          [
            [5, 5],
            [5, 5],
          ],
        ],
      ]),
    ).toThrow(/span no area/);
  });
});

describe('closeLand', () => {
  it('gives the land east of a north–south coast whose sea is on its right, with the exact area', () => {
    const line = coast(500);
    const frame = box(300, 0, 900, 1000, ['south', 'north']);
    const land = closeLand([line], frame);
    expect(land).toHaveLength(1);
    expect(land.every(valid)).toBe(true);
    expect(planarAreaM2(land)).toBeCloseTo(areaEastOf(line, 900), 6);
  });

  it('snaps ends within the tolerance onto the data edge', () => {
    const line = coast(500);
    const shortened: XY[] = [[line[0]![0], 997], ...line.slice(1, -1), [line.at(-1)![0], 3]];
    const land = closeLand([shortened], box(300, 0, 900, 1000, ['south', 'north']));
    expect(planarAreaM2(land)).toBeCloseTo(areaEastOf(line, 900), 6);
  });

  it('joins several pieces into one ring by walking the frame counter-clockwise', () => {
    // Land between x = 200 (sea west) and x = 800 (sea east): a 600 m wide strip.
    const west: XY[] = [
      [200, 1000],
      [200, 0],
    ];
    const east: XY[] = [
      [800, 0],
      [800, 1000],
    ];
    const land = closeLand([west, east], box(0, 0, 1000, 1000, ['south', 'north']));
    expect(land).toHaveLength(1);
    expect(planarAreaM2(land)).toBeCloseTo(600 * 1000, 6);
  });

  it('adds islands (counter-clockwise rings) and removes enclosed water (clockwise rings)', () => {
    const line = coast(500);
    const frame = box(0, 0, 1000, 1000, ['south', 'north']);
    const island: XY[] = [
      [100, 100],
      [200, 100],
      [200, 200],
      [100, 200],
      [100, 100],
    ];
    const lake: XY[] = [
      [700, 400],
      [700, 500],
      [800, 500],
      [800, 400],
      [700, 400],
    ];
    const land = closeLand([line, island, lake], frame);
    expect(land.every(valid)).toBe(true);
    expect(planarAreaM2(land)).toBeCloseTo(areaEastOf(line, 1000) + 100 * 100 - 100 * 100, 3);
    expect(land).toHaveLength(2);
  });

  it('is the whole frame minus the water when only enclosed water is given', () => {
    const lake: XY[] = [
      [400, 400],
      [400, 600],
      [600, 600],
      [600, 400],
      [400, 400],
    ];
    const land = closeLand([lake], box(0, 0, 1000, 1000, []));
    expect(planarAreaM2(land)).toBeCloseTo(1000 * 1000 - 200 * 200, 6);
  });

  it('rejects a piece that ends inside the data (a gap), naming the shoreline and the place', () => {
    const line = coast(500).slice(0, 30);
    expect(() =>
      closeLand([line], box(300, 0, 900, 1000, ['south', 'north']), 'the shoreline of 2020-02-02'),
    ).toThrow(/the shoreline of 2020-02-02 has an open end at \(\d+\.\d, 420\.0\) inside the data's extent/);
  });

  it('rejects pieces that disagree about which side is the sea', () => {
    const a: XY[] = [
      [200, 1000],
      [200, 0],
    ];
    const b: XY[] = [
      [800, 1000],
      [800, 0],
    ];
    expect(() => closeLand([a, b], box(0, 0, 1000, 1000, ['south', 'north']))).toThrow(
      /disagree about which side is the sea/,
    );
  });

  it('leaves its input unchanged', () => {
    const line = coast(500).slice(0, -1);
    line.push([line.at(-1)![0], 2]);
    const before = structuredClone(line);
    const frame = box(300, 0, 900, 1000, ['south', 'north']);
    const frameBefore = structuredClone(frame);
    closeLand([line], frame);
    expect(line).toEqual(before);
    expect(frame).toEqual(frameBefore);
  });
});

describe('orientSeaRight', () => {
  // A baseline along x = 900 running south, sea on its right (west).
  const baseline: XY[][] = [
    [
      [900, 1000],
      [900, 0],
    ],
  ];

  it('keeps pieces whose sea is on the right and reverses the others', () => {
    const right = coast(500);
    const left = [...coast(450)].reverse();
    const [a, b] = orientSeaRight([right, left], baseline, 'right');
    expect(a).toEqual(right);
    expect(b).toEqual(coast(450));
  });

  it('agrees with the baseline when its sea side is stated the other way round', () => {
    const reversedBaseline = [[...baseline[0]!].reverse()];
    const [a] = orientSeaRight([coast(500)], reversedBaseline, 'left');
    expect(a).toEqual(coast(500));
  });

  it('keeps closed rings as they are and leaves its input unchanged', () => {
    const ring: XY[] = [
      [100, 100],
      [100, 200],
      [200, 200],
      [100, 100],
    ];
    const pieces = [ring, [...coast(500)].reverse()];
    const before = structuredClone(pieces);
    const out = orientSeaRight(pieces, baseline, 'right');
    expect(out[0]).toEqual(ring);
    expect(out[1]).toEqual(coast(500));
    expect(pieces).toEqual(before);
    expect(out[0]).not.toBe(ring);
  });
});
