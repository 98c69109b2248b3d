import { describe, expect, it } from 'vitest';
import { uniformLevels } from './block-levels.ts';
import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from './marching-squares.ts';
import { waterField } from './water-field.ts';

const split = { threshold: 0, waterMean: 0.4, landMean: -0.4 };
const levels = uniformLevels(8, 0.02, 0.22);

function run(index: number[], band: number[] | null, withLevels = true) {
  return waterField({
    width: index.length,
    height: 1,
    originX: 0,
    originY: 0,
    index: Float32Array.from(index),
    band: band ? Float32Array.from(band) : null,
    split,
    levels: withLevels ? levels : null,
  });
}

describe('waterField', () => {
  it('marks NaN pixels invalid', () => {
    const f = run([Number.NaN, 0.3], [0.1, Number.NaN]);
    expect(Array.from(f.classes)).toEqual([CLASS_INVALID, CLASS_INVALID]);
  });

  it('classifies clear pixels by the index and estimates the water fraction from the band', () => {
    // Index 0.35 is clear water, −0.35 clear land; the band puts them at fractions 0.9 and 0.1.
    const f = run([0.35, -0.35], [0.04, 0.2]);
    expect(Array.from(f.classes)).toEqual([CLASS_WATER, CLASS_LAND]);
    expect(f.fieldAt(0)).toBeCloseTo(0.4, 5);
    expect(f.fieldAt(1)).toBeCloseTo(-0.4, 5);
  });

  it('decides ambiguous (mixed) pixels by their band fraction, not by the index', () => {
    // Index just above the threshold but the band says 30 % water: land, at fraction 0.3.
    const f = run([0.05, -0.05], [0.16, 0.08]);
    expect(Array.from(f.classes)).toEqual([CLASS_LAND, CLASS_WATER]);
    expect(f.fieldAt(0)).toBeCloseTo(-0.2, 5);
    expect(f.fieldAt(1)).toBeCloseTo(0.2, 5);
  });

  it('clamps the field to agree with the class where the band contradicts a clear index', () => {
    const f = run([0.35, -0.35], [0.22, 0.02]);
    expect(Array.from(f.classes)).toEqual([CLASS_WATER, CLASS_LAND]);
    expect(f.fieldAt(0)).toBeGreaterThan(0);
    expect(f.fieldAt(1)).toBeLessThanOrEqual(0);
  });

  it('maps the index piecewise-linearly onto a fraction without levels', () => {
    const f = run([0.2, 0, -0.2, 0.4], [0.1, 0.1, 0.1, 0.1], false);
    expect(Array.from(f.classes)).toEqual([CLASS_WATER, CLASS_LAND, CLASS_LAND, CLASS_WATER]);
    expect(f.fieldAt(0)).toBeCloseTo(0.25, 6);
    expect(f.fieldAt(1)).toBe(0);
    expect(f.fieldAt(2)).toBeCloseTo(-0.25, 6);
    expect(f.fieldAt(3)).toBeCloseTo(0.5, 6);
  });

  it('rejects class means on the wrong side of the threshold and arrays of the wrong size', () => {
    const bad = { ...split, waterMean: -0.1 };
    expect(() =>
      waterField({
        width: 1,
        height: 1,
        originX: 0,
        originY: 0,
        index: Float32Array.of(0),
        band: null,
        split: bad,
        levels: null,
      }),
    ).toThrow(RangeError);
    expect(() =>
      waterField({
        width: 2,
        height: 1,
        originX: 0,
        originY: 0,
        index: Float32Array.of(0),
        band: null,
        split,
        levels: null,
      }),
    ).toThrow(RangeError);
  });

  it('leaves its inputs unchanged', () => {
    const index = Float32Array.of(0.3, -0.1, Number.NaN);
    const band = Float32Array.of(0.05, 0.15, 0.1);
    const copy = { index: index.slice(), band: band.slice(), water: levels.water.slice() };
    waterField({ width: 3, height: 1, originX: 0, originY: 0, index, band, split, levels });
    expect(index).toEqual(copy.index);
    expect(band).toEqual(copy.band);
    expect(levels.water).toEqual(copy.water);
  });

  it('puts the crossing of a straight edge exactly where the water area ends (partial-area estimate)', () => {
    // Pixels 0–1 pure water, pixel 2 30 % water, 3–5 pure land: the edge is at 2 − 0.5 + 0.3 = 1.8.
    const fractions = [1, 1, 0.3, 0, 0, 0];
    const band = fractions.map((f) => 0.22 - f * 0.2);
    const index = [0.45, 0.45, 0, -0.45, -0.45, -0.45];
    const f = run(index, band);
    expect(Array.from(f.classes)).toEqual([1, 1, 0, 0, 0, 0]);
    expect(1 + f.crossingAt(1, 2)).toBeCloseTo(1.8, 5);
    // Linear interpolation of the fractions would say 1 + 0.5/0.7 ≈ 1.71.
    expect((f.fieldAt(1) / (f.fieldAt(1) - f.fieldAt(2))) * 1 + 1).toBeCloseTo(1.714, 3);
  });

  it('takes the water and land levels from pure neighbours when there are some', () => {
    // The block levels say land is 0.3; the pure land pixels around say 0.22: the mixed pixel is 30 % water.
    const wrongBlocks = uniformLevels(8, 0.02, 0.3);
    const f = waterField({
      width: 6,
      height: 1,
      originX: 0,
      originY: 0,
      index: Float32Array.of(0.45, 0.45, 0, -0.45, -0.45, -0.45),
      band: Float32Array.of(0.02, 0.02, 0.16, 0.22, 0.22, 0.22),
      split,
      levels: wrongBlocks,
    });
    expect(f.fieldAt(2)).toBeCloseTo(-0.2, 5);
  });

  it('counts valid and water pixels inside the counting rectangle only', () => {
    const f = waterField({
      width: 4,
      height: 1,
      originX: 0,
      originY: 0,
      index: Float32Array.of(0.4, 0.4, Number.NaN, -0.4),
      band: null,
      split,
      levels: null,
      countIn: { x0: 1, y0: 0, x1: 4, y1: 1 },
    });
    expect(f.validCount).toBe(2);
    expect(f.waterCount).toBe(1);
  });
});
