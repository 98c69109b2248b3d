import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCK_SPEC } from './block-levels.ts';
import { scanWindow } from './scan-window.ts';
import { buildLevels, chooseSplit } from './scene-split.ts';

const info = { fileName: 'x.tif', width: 20, height: 10 };
const range = { min: -1, max: 1, bins: 200 };

/** One scan of a 20×10 window whose left `waterColumns` columns are water (MNDWI ≈ +0.6), the rest land. */
function scan(waterColumns: number, valid = true) {
  const n = 200;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const water = i % 20 < waterColumns;
    a[i] = valid ? (water ? 0.08 : 0.05) : Number.NaN;
    b[i] = water ? 0.02 : 0.2;
  }
  return scanWindow({
    width: 20,
    height: 10,
    originX: 0,
    originY: 0,
    a,
    b,
    band: b,
    histogram: range,
    blocks: DEFAULT_BLOCK_SPEC,
    halo: 2,
  });
}

describe('chooseSplit', () => {
  it('splits water from land with Otsu and reports the class means', () => {
    const { split, validCount } = chooseSplit(info, 'mndwi', 'otsu', [scan(8)], range);
    expect(validCount).toBe(200);
    expect(split.waterMean).toBeGreaterThan(0.5);
    expect(split.landMean).toBeLessThan(-0.5);
    expect(split.threshold).toBeGreaterThan(split.landMean);
    expect(split.threshold).toBeLessThan(split.waterMean);
  });

  it('takes a fixed threshold as given', () => {
    expect(chooseSplit(info, 'mndwi', 'otsu', [scan(8)], range).split.threshold).not.toBe(0.1);
    expect(chooseSplit(info, 'mndwi', 0.1, [scan(8)], range).split.threshold).toBe(0.1);
  });

  it.each([
    ['no valid pixels', () => [scan(8, false)], 'NO_VALID_PIXELS', /no valid pixels/],
    ['no contrast', () => [scan(20)], 'NO_SHORELINE', /no water\/land contrast/],
    ['no water', () => [scan(0)], 'NO_SHORELINE', /no water\/land contrast|shows no water/],
  ])('fails clearly with %s', (_, scans, code, message) => {
    try {
      chooseSplit(info, 'mndwi', 'otsu', scans(), range);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toMatch(message);
    }
  });

  it('names a missing class under a fixed threshold', () => {
    expect(() => chooseSplit(info, 'mndwi', 0.9, [scan(8)], range)).toThrow(/shows no water/);
    expect(() => chooseSplit(info, 'mndwi', -0.9, [scan(8)], range)).toThrow(/shows no land/);
  });
});

describe('buildLevels', () => {
  it('gives the contour band’s water and land levels, or null without block statistics', () => {
    const scans = [scan(8)];
    const { split } = chooseSplit(info, 'mndwi', 'otsu', scans, range);
    const levels = buildLevels(info, DEFAULT_BLOCK_SPEC, scans, split)!;
    expect(levels.water[0]).toBeCloseTo(0.02, 6);
    expect(levels.land[0]).toBeCloseTo(0.2, 6);
    expect(buildLevels(info, DEFAULT_BLOCK_SPEC, [{ ...scans[0]!, blockStats: null }], split)).toBeNull();
  });
});
