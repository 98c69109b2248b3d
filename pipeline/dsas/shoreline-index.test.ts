import { describe, expect, it } from 'vitest';
import { buildShorelineIndex, intersectTransect } from './shoreline-index.ts';
import type { DatedShoreline, IntersectionRule, LineXY, Transect, XY } from './types.ts';

function shoreline(pieces: LineXY[], uncertainties: number[] = [], yearDecimal = 2000): DatedShoreline {
  return {
    date: String(yearDecimal),
    yearDecimal,
    pieces: pieces.map((coordinates, i) => ({ coordinates, uncertaintyM: uncertainties[i] ?? 10 })),
  };
}

const northward: Transect = { id: 1, origin: [0, 0], dir: [0, 1], sMinM: 0, sMaxM: 1000, baselinePart: 0 };

function run(shorelines: DatedShoreline[], transect: Transect, rule: IntersectionRule, cellSizeM?: number) {
  const index = buildShorelineIndex(shorelines, cellSizeM === undefined ? {} : { cellSizeM });
  const d = new Float64Array(shorelines.length);
  const u = new Float64Array(shorelines.length);
  intersectTransect(index, transect, rule, d, u);
  return { d: [...d], u: [...u] };
}

// A shoreline that crosses x = 0 three times, at y = 100, 150 and 200 (a spit folding back on itself).
const zigzag: XY[] = [
  [-50, 100],
  [50, 100],
  [50, 150],
  [-50, 150],
  [-50, 200],
  [50, 200],
];

describe('intersectTransect', () => {
  it('takes the most seaward crossing by default rule and the most landward on request', () => {
    expect(run([shoreline([zigzag])], northward, 'seaward').d).toEqual([200]);
    expect(run([shoreline([zigzag])], northward, 'landward').d).toEqual([100]);
  });

  it('handles shorelines in pieces, reversed, in any order, with each piece’s uncertainty', () => {
    const pieces: LineXY[] = [zigzag.slice(3).reverse(), zigzag.slice(0, 2), zigzag.slice(1, 4)];
    const seaward = run([shoreline(pieces, [7, 3, 5])], northward, 'seaward');
    expect(seaward).toEqual({ d: [200], u: [7] });
    const landward = run([shoreline(pieces, [7, 3, 5])], northward, 'landward');
    expect(landward).toEqual({ d: [100], u: [3] });
  });

  it('ignores crossings outside the transect window and gives NaN for no crossing', () => {
    const short: Transect = { ...northward, sMaxM: 160 };
    expect(run([shoreline([zigzag])], short, 'seaward').d).toEqual([150]);
    const behind: Transect = { ...northward, origin: [0, 500] };
    expect(run([shoreline([zigzag])], behind, 'seaward').d).toEqual([Number.NaN]);
    const back: Transect = { ...northward, origin: [0, 500], sMinM: -1000 };
    expect(run([shoreline([zigzag])], back, 'seaward').d).toEqual([-300]);
  });

  it('finds the same crossings as a brute-force search, for any cell size', () => {
    // Deterministic pseudo-random wiggly shorelines and oblique transects.
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const shorelines = Array.from({ length: 6 }, (_, k) =>
      shoreline(
        [Array.from({ length: 200 }, (_, i) => [i * 25 + rand() * 10, 300 + k * 40 + rand() * 120] as XY)],
        [],
        2000 + k,
      ),
    );
    const transects: Transect[] = Array.from({ length: 60 }, (_, i) => {
      const a = -Math.PI / 2 + 0.6 * (rand() - 0.5);
      return {
        id: i + 1,
        origin: [i * 80, 900],
        dir: [Math.cos(a), Math.sin(a)],
        sMinM: 0,
        sMaxM: 900,
        baselinePart: 0,
      };
    });
    for (const rule of ['seaward', 'landward'] as const) {
      for (const cell of [undefined, 3, 60, 500, 5000]) {
        for (const t of transects) {
          expect(run(shorelines, t, rule, cell).d).toEqual(bruteForce(shorelines, t, rule));
        }
      }
    }
  });

  it('leaves its inputs unchanged', () => {
    const lines = [shoreline([zigzag])];
    const copy = structuredClone(lines);
    const t = structuredClone(northward);
    run(lines, t, 'seaward');
    expect(lines).toEqual(copy);
    expect(t).toEqual(northward);
  });
});

function bruteForce(shorelines: DatedShoreline[], t: Transect, rule: IntersectionRule): number[] {
  return shorelines.map((s) => {
    let best = Number.NaN;
    for (const piece of s.pieces) {
      for (let i = 0; i + 1 < piece.coordinates.length; i++) {
        const [ax, ay] = piece.coordinates[i]!;
        const [bx, by] = piece.coordinates[i + 1]!;
        const ex = bx - ax;
        const ey = by - ay;
        const denom = t.dir[0] * ey - t.dir[1] * ex;
        if (denom === 0) continue;
        const qx = ax - t.origin[0];
        const qy = ay - t.origin[1];
        const u = (qx * t.dir[1] - qy * t.dir[0]) / denom;
        const sv = (qx * ey - qy * ex) / denom;
        if (u < 0 || u > 1 || sv < t.sMinM || sv > t.sMaxM) continue;
        if (Number.isNaN(best) || (rule === 'seaward' ? sv > best : sv < best)) best = sv;
      }
    }
    return best;
  });
}
