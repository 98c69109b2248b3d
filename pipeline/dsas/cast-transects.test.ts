import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { castTransects, transectEnds, transectsFromLines } from './cast-transects.ts';
import type { LineXY, XY } from './types.ts';

const R = 5000;
const CENTRE: XY = [400_000, 1_000_000];
/** A quarter circle, counter-clockwise: the centre (land, say) is on the left. */
function arc(vertices = 721): XY[] {
  return Array.from({ length: vertices }, (_, i) => {
    const a = (Math.PI / 2) * (i / (vertices - 1));
    return [CENTRE[0] + R * Math.cos(a), CENTRE[1] + R * Math.sin(a)] as XY;
  });
}

function angleDeg(u: XY, v: XY): number {
  const cos = (u[0] * v[0] + u[1] * v[1]) / (Math.hypot(...u) * Math.hypot(...v));
  return (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
}

/** Tangent of the polyline segment under point p. */
function localTangent(line: LineXY, p: XY): XY {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    const abx = b[0] - a[0];
    const aby = b[1] - a[1];
    const f = Math.max(0, Math.min(1, ((p[0] - a[0]) * abx + (p[1] - a[1]) * aby) / (abx * abx + aby * aby)));
    const d = Math.hypot(a[0] + f * abx - p[0], a[1] + f * aby - p[1]);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  const a = line[best]!;
  const b = line[best + 1]!;
  return [b[0] - a[0], b[1] - a[1]];
}

describe('castTransects', () => {
  it('casts transects perpendicular (±1°) to a curved baseline, seaward, origins on it, ids in order', () => {
    const line = arc();
    const transects = castTransects([line], { spacingM: 50, lengthM: 2000, seaSide: 'right' });
    // Arc length 5000·π/2 ≈ 7854 m → 158 transects.
    expect(transects).toHaveLength(Math.floor((R * Math.PI) / 2 / 50) + 1);
    expect(transects.map((t) => t.id)).toEqual(transects.map((_, i) => i + 1));
    for (const t of transects) {
      expect(Math.abs(angleDeg(t.dir, localTangent(line, t.origin)) - 90)).toBeLessThan(1);
      // Seaward is away from the centre here, and the origin lies on the baseline.
      const radial: XY = [t.origin[0] - CENTRE[0], t.origin[1] - CENTRE[1]];
      expect(angleDeg(t.dir, radial)).toBeLessThan(1);
      expect(Math.abs(Math.hypot(...radial) - R)).toBeLessThan(0.1);
      expect(t.sMinM).toBe(0);
      expect(t.sMaxM).toBe(2000);
    }
    // Consecutive origins are one spacing apart along the arc (chord ≈ arc at this scale).
    const gap = Math.hypot(
      transects[1]!.origin[0] - transects[0]!.origin[0],
      transects[1]!.origin[1] - transects[0]!.origin[1],
    );
    expect(gap).toBeCloseTo(50, 1);
  });

  it('stays perpendicular to the local segment without smoothing on a wavy baseline', () => {
    const wavy: XY[] = Array.from({ length: 401 }, (_, i) => [i * 10, 200 * Math.sin(i / 40)] as XY);
    const transects = castTransects([wavy], { spacingM: 35, lengthM: 500, seaSide: 'left', smoothingM: 0 });
    for (const t of transects)
      expect(Math.abs(angleDeg(t.dir, localTangent(wavy, t.origin)) - 90)).toBeLessThan(1);
  });

  it('points the other way for the other sea side and numbers parts on', () => {
    const a: XY[] = [
      [0, 0],
      [1000, 0],
    ];
    const b: XY[] = [
      [2000, 0],
      [2100, 0],
    ];
    const left = castTransects([a, b], { spacingM: 100, lengthM: 300, seaSide: 'left' });
    expect(left.map((t) => t.id)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(left[0]!.dir[1]).toBeCloseTo(1, 12);
    expect(left.at(-1)!.baselinePart).toBe(1);
    const right = castTransects([a], { spacingM: 100, lengthM: 300, seaSide: 'right' });
    expect(right[0]!.dir[1]).toBeCloseTo(-1, 12);
    expect(transectEnds(right[0]!)).toEqual([
      [0, 0],
      [0, -300],
    ]);
  });

  it('centres the transects along the baseline', () => {
    const t = castTransects(
      [
        [
          [0, 0],
          [130, 0],
        ],
      ],
      { spacingM: 50, lengthM: 10, seaSide: 'left' },
    );
    expect(t.map((x) => x.origin[0])).toEqual([15, 65, 115]);
  });

  it('searches behind an offshore baseline and on both sides of a mid-shore one', () => {
    const line: XY[] = [
      [0, 0],
      [100, 0],
    ];
    const off = castTransects([line], { spacingM: 50, lengthM: 400, seaSide: 'left', placement: 'offshore' });
    expect([off[0]!.sMinM, off[0]!.sMaxM]).toEqual([-400, 0]);
    const mid = castTransects([line], { spacingM: 50, lengthM: 400, seaSide: 'left', placement: 'midshore' });
    expect([mid[0]!.sMinM, mid[0]!.sMaxM]).toEqual([-200, 200]);
  });

  it.each([
    [{ spacingM: -50 }, /spacing must be a positive number/],
    [{ spacingM: 0 }, /spacing must be a positive number/],
    [{ spacingM: Number.NaN }, /spacing must be a positive number/],
    [{ lengthM: -1 }, /transect length must be a positive number/],
    [{ smoothingM: -5 }, /smoothing distance/],
  ])('rejects %j', (bad, message) => {
    const opts = { spacingM: 50, lengthM: 100, seaSide: 'left' as const, ...bad };
    expect(() => castTransects([arc(10)], opts)).toThrow(message);
  });

  it('rejects a baseline part without two distinct points, and an empty baseline', () => {
    const opts = { spacingM: 50, lengthM: 100, seaSide: 'left' as const };
    expect(() =>
      castTransects(
        [
          [
            [1, 1],
            [1, 1],
          ],
        ],
        opts,
      ),
    ).toThrow(/fewer than 2 distinct points/);
    expect(() => castTransects([], opts)).toThrow(TidemarkError);
  });

  it('leaves the baseline unchanged', () => {
    const line = arc(50);
    const copy = structuredClone(line);
    castTransects([line], { spacingM: 50, lengthM: 100, seaSide: 'left' });
    expect(line).toEqual(copy);
  });
});

describe('transectsFromLines', () => {
  it('takes the first vertex as origin and the line as the search window', () => {
    const [t] = transectsFromLines([
      [
        [10, 10],
        [10, 20],
        [10, 110],
      ],
    ]);
    expect(t).toEqual({ id: 1, origin: [10, 10], dir: [0, 1], sMinM: 0, sMaxM: 100, baselinePart: 0 });
  });

  it('rejects a degenerate transect', () => {
    expect(() =>
      transectsFromLines([
        [
          [0, 0],
          [0, 0],
        ],
      ]),
    ).toThrow(/fewer than 2 distinct points/);
  });
});
