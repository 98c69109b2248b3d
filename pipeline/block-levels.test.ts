import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../fixtures/seeded-random.ts';
import {
  addBlockStats,
  type BlockSpec,
  blockStatsOf,
  blocksForPixels,
  buildLevelGrid,
  emptyBlockStats,
  levelGridOfParts,
  sampleLevels,
  sliceLevelGrid,
} from './block-levels.ts';

const spec: BlockSpec = { blockSize: 4, indexMin: -1, indexMax: 1, bins: 20 };
const split = { threshold: 0, waterMean: 0.5, landMean: -0.5 };

/** 16×8 scene: left half water (index 0.6, band = 0.02 + 0.001·x), right half land (index −0.6, band 0.3). */
function scene() {
  const width = 16;
  const height = 8;
  const index = new Float32Array(width * height);
  const band = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const water = x < 8;
      index[y * width + x] = water ? 0.6 : -0.6;
      band[y * width + x] = water ? 0.02 + 0.001 * x : 0.3;
    }
  }
  return { width, height, index, band };
}

function crop(
  values: Float32Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): Float32Array {
  const out = new Float32Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++)
    out.set(values.subarray(y * width + x0, y * width + x1), (y - y0) * (x1 - x0));
  return out;
}

describe('block statistics', () => {
  it('add up across windows to the statistics of the whole scene', () => {
    const s = scene();
    const whole = blockStatsOf(s.index, s.band, s.width, s.height, 0, 0, spec);
    const total = emptyBlockStats(spec, 0, 0, 4, 2);
    // Windows of 5×3 pixels cut through blocks.
    for (let y0 = 0; y0 < s.height; y0 += 3) {
      for (let x0 = 0; x0 < s.width; x0 += 5) {
        const x1 = Math.min(x0 + 5, s.width);
        const y1 = Math.min(y0 + 3, s.height);
        const part = blockStatsOf(
          crop(s.index, s.width, x0, y0, x1, y1),
          crop(s.band, s.width, x0, y0, x1, y1),
          x1 - x0,
          y1 - y0,
          x0,
          y0,
          spec,
        );
        addBlockStats(total, part, spec);
      }
    }
    expect(Array.from(total.counts)).toEqual(Array.from(whole.counts));
    for (let i = 0; i < total.sums.length; i++) expect(total.sums[i]).toBeCloseTo(whole.sums[i]!, 5);
  });

  it('skip pixels where the index or the band is NaN', () => {
    const stats = blockStatsOf(
      Float32Array.of(0.5, Number.NaN, 0.5),
      Float32Array.of(0.1, 0.1, Number.NaN),
      3,
      1,
      0,
      0,
      spec,
    );
    expect(Array.from(stats.counts).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('refuse statistics outside the accumulator', () => {
    const total = emptyBlockStats(spec, 0, 0, 1, 1);
    expect(() => addBlockStats(total, emptyBlockStats(spec, 1, 0, 1, 1), spec)).toThrow(RangeError);
  });

  it('leave their inputs unchanged', () => {
    const s = scene();
    const copy = { index: s.index.slice(), band: s.band.slice() };
    blockStatsOf(s.index, s.band, s.width, s.height, 0, 0, spec);
    expect(s.index).toEqual(copy.index);
    expect(s.band).toEqual(copy.band);
  });
});

describe('level grid', () => {
  it('gives each block the mean band value of its clear water and clear land pixels', () => {
    const s = scene();
    const grid = buildLevelGrid(
      blockStatsOf(s.index, s.band, s.width, s.height, 0, 0, { ...spec, blockSize: 8 }),
      { ...spec, blockSize: 8 },
      split,
    )!;
    // Block 0 (x 0..7) is all water: mean band 0.02 + 0.001·3.5; it borrows its land level from block 1.
    expect(grid.water[0]).toBeCloseTo(0.0235, 6);
    expect(grid.land[0]).toBeCloseTo(0.3, 6);
    expect(grid.land[1]).toBeCloseTo(0.3, 6);
    expect(grid.water[1]).toBeCloseTo(0.0235, 6);
  });

  it('from the windows’ statistics is bit-identical to the grid of their sum, blocks shared or not', () => {
    // 48×32 px of noisy values: water in the west, land in the east, a mixed zone between; 8 px blocks.
    const width = 48;
    const height = 32;
    const spec8 = { ...spec, blockSize: 8 };
    const random = mulberry32(7);
    const index = new Float32Array(width * height);
    const band = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const wet = 1 - x / width + 0.3 * (random() - 0.5);
        index[y * width + x] = 2 * wet - 1;
        band[y * width + x] = 0.3 - 0.25 * wet + 0.01 * random();
      }
    }
    const whole = blockStatsOf(index, band, width, height, 0, 0, spec8);
    for (const [ww, wh] of [
      [8, 8],
      [5, 3],
      [13, 7],
      [48, 32],
    ] as const) {
      const parts = [];
      const total = emptyBlockStats(spec8, 0, 0, 6, 4);
      for (let y0 = 0; y0 < height; y0 += wh) {
        for (let x0 = 0; x0 < width; x0 += ww) {
          const x1 = Math.min(x0 + ww, width);
          const y1 = Math.min(y0 + wh, height);
          const part = blockStatsOf(
            crop(index, width, x0, y0, x1, y1),
            crop(band, width, x0, y0, x1, y1),
            x1 - x0,
            y1 - y0,
            x0,
            y0,
            spec8,
          );
          parts.push(part);
          addBlockStats(total, part, spec8);
        }
      }
      const expected = buildLevelGrid(total, spec8, split)!;
      expect(levelGridOfParts(parts, 6, 4, spec8, split)).toEqual(expected);
      // Cut differently, the sums may round differently: against the whole scene, close is enough.
      const reference = buildLevelGrid(whole, spec8, split)!;
      for (let b = 0; b < 24; b++) expect(expected.water[b]).toBeCloseTo(reference.water[b]!, 6);
    }
    expect(() => levelGridOfParts([whole], 5, 4, spec8, split)).toThrow(/outside the scene/);
  });

  it('takes a block’s levels from the bins entirely beyond the clear limits only', () => {
    const width = 48;
    const height = 32;
    const spec16 = { ...spec, blockSize: 16 };
    const off = { threshold: 0.1, waterMean: 0.55, landMean: -0.4 };
    const random = mulberry32(11);
    const index = Float32Array.from({ length: width * height }, () => 2 * random() - 1);
    const band = Float32Array.from({ length: width * height }, () => random());
    const stats = blockStatsOf(index, band, width, height, 0, 0, spec16);
    const grid = buildLevelGrid(stats, spec16, off)!;
    // Reference: bin k spans [−1 + k·w, −1 + (k + 1)·w); water from 0.325 on, land up to −0.15.
    const w = 2 / spec16.bins;
    for (let b = 0; b < 6; b++) {
      const level = { water: [0, 0], land: [0, 0] };
      for (let k = 0; k < spec16.bins; k++) {
        const c = stats.counts[b * spec16.bins + k]!;
        const sum = stats.sums[b * spec16.bins + k]!;
        if (c === 0) continue;
        const into = -1 + k * w >= 0.325 ? level.water : -1 + k * w + w <= -0.15 ? level.land : null;
        if (!into) continue;
        into[0]! += c;
        into[1]! += sum;
      }
      expect(level.water[0]).toBeGreaterThanOrEqual(24);
      expect(level.land[0]).toBeGreaterThanOrEqual(24);
      expect(grid.water[b]).toBe(Math.fround(level.water[1]! / level.water[0]!));
      expect(grid.land[b]).toBe(Math.fround(level.land[1]! / level.land[0]!));
    }
  });

  it('fills blocks without a level ring by ring with the mean of their filled neighbours', () => {
    // 11×9 blocks, all clear land; clear water (of its own level) in three blocks only.
    const nbx = 11;
    const nby = 9;
    const stats = emptyBlockStats(spec, 0, 0, nbx, nby);
    const waterBin = 16; // index 0.6
    const landBin = 4; // index −0.6
    const waterLevels = new Map([
      [0, 0.01],
      [5 * nbx + 7, 0.05],
      [3 * nbx + 10, 0.08],
    ]);
    for (let b = 0; b < nbx * nby; b++) {
      stats.counts[b * spec.bins + landBin] = 30;
      stats.sums[b * spec.bins + landBin] = 30 * 0.3;
      const level = waterLevels.get(b);
      if (level !== undefined) {
        stats.counts[b * spec.bins + waterBin] = 30;
        stats.sums[b * spec.bins + waterBin] = 30 * level;
      }
    }
    // Reference: whole-grid rounds, each NaN cell with a finite neighbour taking their mean.
    let expected = new Float32Array(nbx * nby).fill(Number.NaN);
    for (const [b, level] of waterLevels) expected[b] = (30 * level) / 30;
    while (expected.some(Number.isNaN)) {
      const next = expected.slice();
      for (let y = 0; y < nby; y++) {
        for (let x = 0; x < nbx; x++) {
          if (!Number.isNaN(expected[y * nbx + x]!)) continue;
          let sum = 0;
          let count = 0;
          for (let yy = Math.max(0, y - 1); yy <= Math.min(nby - 1, y + 1); yy++) {
            for (let xx = Math.max(0, x - 1); xx <= Math.min(nbx - 1, x + 1); xx++) {
              const v = expected[yy * nbx + xx]!;
              if (!Number.isNaN(v)) {
                sum += v;
                count++;
              }
            }
          }
          if (count > 0) next[y * nbx + x] = sum / count;
        }
      }
      expected = next;
    }
    const grid = buildLevelGrid(stats, spec, split)!;
    expect(grid.water).toEqual(expected);
    expect(grid.land).toEqual(new Float32Array(nbx * nby).fill(0.3));
  });

  it('is null when the scene has no clear water at all', () => {
    const index = new Float32Array(64).fill(-0.6);
    const band = new Float32Array(64).fill(0.3);
    expect(buildLevelGrid(blockStatsOf(index, band, 8, 8, 0, 0, spec), spec, split)).toBeNull();
  });

  it('interpolates bilinearly between block centres and holds the edge values outside them', () => {
    const grid = {
      blockSize: 10,
      sceneNbx: 2,
      sceneNby: 1,
      bx0: 0,
      by0: 0,
      nbx: 2,
      nby: 1,
      water: Float32Array.of(0, 1),
      land: Float32Array.of(1, 3),
    };
    const out = new Float64Array(2);
    sampleLevels(grid, 4.5, 0, out); // block 0 centre
    expect(Array.from(out)).toEqual([0, 1]);
    sampleLevels(grid, 9.5, 0, out); // half-way
    expect(out[0]).toBeCloseTo(0.5, 12);
    expect(out[1]).toBeCloseTo(2, 12);
    sampleLevels(grid, -3, 0, out);
    expect(Array.from(out)).toEqual([0, 1]);
  });

  it('samples a slice bit-identically to the whole grid, and refuses pixels the slice does not cover', () => {
    const s = scene();
    const spec8 = { ...spec, blockSize: 8 };
    const whole = buildLevelGrid(
      blockStatsOf(s.index, s.band, s.width, s.height, 0, 0, spec8),
      spec8,
      split,
    )!;
    const b = blocksForPixels(whole, 5, 2, 11, 7);
    const slice = sliceLevelGrid(whole, b.bx0, b.by0, b.bx1, b.by1);
    const a = new Float64Array(2);
    const c = new Float64Array(2);
    for (let y = 2; y < 7; y++) {
      for (let x = 5; x < 11; x++) {
        sampleLevels(whole, x, y, a);
        sampleLevels(slice, x, y, c);
        expect(Array.from(c)).toEqual(Array.from(a));
      }
    }
    expect(b).toEqual({ bx0: 0, by0: 0, bx1: 2, by1: 1 });

    const partial = sliceLevelGrid(whole, 1, 0, 2, 1);
    expect(() => sampleLevels(partial, 5, 0, c)).toThrow(/does not cover/);
  });

  it('agrees bit for bit between the whole grid and a slice, away from the edges too', () => {
    const nbx = 6;
    const nby = 5;
    const grid = {
      blockSize: 4,
      sceneNbx: nbx,
      sceneNby: nby,
      bx0: 0,
      by0: 0,
      nbx,
      nby,
      water: Float32Array.from({ length: nbx * nby }, (_, i) => 0.01 + ((i * 7) % 11) / 1000),
      land: Float32Array.from({ length: nbx * nby }, (_, i) => 0.2 + ((i * 5) % 13) / 100),
    };
    const [x0, y0, x1, y1] = [5, 3, 17, 15];
    const b = blocksForPixels(grid, x0, y0, x1, y1);
    const slice = sliceLevelGrid(grid, b.bx0, b.by0, b.bx1, b.by1);
    expect(slice.nbx * slice.nby).toBeLessThan(nbx * nby);
    const a = new Float64Array(2);
    const c = new Float64Array(2);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        sampleLevels(grid, x, y, a);
        sampleLevels(slice, x, y, c);
        expect(Array.from(c)).toEqual(Array.from(a));
      }
    }
  });
});
