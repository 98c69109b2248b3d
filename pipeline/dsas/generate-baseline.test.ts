import { describe, expect, it } from 'vitest';
import { castTransects } from './cast-transects.ts';
import { generateBaseline } from './generate-baseline.ts';
import { smoothLine } from './polyline-geometry.ts';
import type { DatedShoreline, XY } from './types.ts';

function shoreline(coords: XY[]): DatedShoreline {
  return { date: '2000-01-01', yearDecimal: 2000, pieces: [{ coordinates: coords, uncertaintyM: 10 }] };
}

describe('generateBaseline', () => {
  // A straight coast along x with the sea to the south (right when walking east) and a small wiggle.
  const coast: XY[] = Array.from({ length: 301 }, (_, i) => [i * 10, 5 * Math.sin(i)] as XY);

  it('smooths the earliest shoreline and offsets it landward', () => {
    const b = generateBaseline(shoreline(coast), { offsetM: 200, landSide: 'left', smoothingM: 200 });
    expect(b.seaSide).toBe('right');
    expect(b.parts).toHaveLength(1);
    for (const p of b.parts[0]!.slice(5, -5)) expect(p[1]).toBeGreaterThan(190);
    for (const p of b.parts[0]!.slice(5, -5)) expect(p[1]).toBeLessThan(210);
    // Transects cast from it point to the sea (−y).
    const t = castTransects(b.parts, { spacingM: 100, lengthM: 500, seaSide: b.seaSide });
    expect(t[0]!.dir[1]).toBeCloseTo(-1, 2);
  });

  it('skips short pieces and fails when none is long enough', () => {
    const short: XY[] = [
      [0, 0],
      [100, 0],
    ];
    expect(() => generateBaseline(shoreline(short), { offsetM: 100, landSide: 'left' })).toThrow(
      /no piece of at least 500 m/,
    );
    expect(() => generateBaseline(shoreline(coast), { offsetM: -1, landSide: 'left' })).toThrow(
      /baseline offset/,
    );
  });

  it('leaves the shoreline unchanged', () => {
    const s = shoreline(coast);
    const copy = structuredClone(s);
    generateBaseline(s, { offsetM: 100, landSide: 'right' });
    expect(s).toEqual(copy);
  });
});

describe('smoothLine', () => {
  it('keeps the ends and flattens a wiggle', () => {
    const coast: XY[] = Array.from({ length: 101 }, (_, i) => [i * 10, i % 2 === 0 ? 5 : -5] as XY);
    const smooth = smoothLine(coast, 100);
    expect(smooth[0]).toEqual([0, 5]);
    expect(smooth.at(-1)![0]).toBeCloseTo(1000, 9);
    const mid = smooth[Math.floor(smooth.length / 2)]!;
    expect(Math.abs(mid[1])).toBeLessThan(1);
  });
});
