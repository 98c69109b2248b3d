import { describe, expect, it } from 'vitest';
import { type BlockSpec, blockStatsOf } from './block-levels.ts';
import { histogramOf } from './otsu-threshold.ts';
import { scanWindow } from './scan-window.ts';
import { normalizedDifference } from './water-index.ts';
import { frameOf } from './window-grid.ts';

const blocks: BlockSpec = { blockSize: 8, indexMin: -1, indexMax: 1, bins: 16 };
const histogram = { min: -1, max: 1, bins: 200 };

function bands(width: number, height: number) {
  const a = new Float32Array(width * height);
  const b = new Float32Array(width * height);
  const band = new Float32Array(width * height);
  for (let i = 0; i < a.length; i++) {
    a[i] = 0.05 + ((i * 37) % 101) / 1000;
    b[i] = 0.02 + ((i * 53) % 307) / 1000;
    band[i] = b[i]!;
  }
  a[3] = Number.NaN;
  b[5] = 0;
  a[5] = 0;
  band[7] = Number.NaN;
  return { a, b, band };
}

describe('scanWindow', () => {
  it('equals index, histogram, block statistics and frames computed one by one', () => {
    const [width, height, originX, originY] = [21, 13, 5, 30];
    const { a, b, band } = bands(width, height);
    const out = scanWindow({ width, height, originX, originY, a, b, band, histogram, blocks, halo: 2 });
    const index = normalizedDifference(a, b);
    for (let i = 0; i < index.length; i++) if (Number.isNaN(band[i]!)) index[i] = Number.NaN;
    expect(Array.from(out.histogramCounts)).toEqual(Array.from(histogramOf(index, -1, 1, 200).counts));
    const stats = blockStatsOf(index, band, width, height, originX, originY, blocks);
    expect(out.blockStats).toEqual(stats);
    expect(out.indexFrame).toEqual(frameOf(index, width, height, 2));
    expect(out.bandFrame).toEqual(frameOf(band, width, height, 2));
    const valid = Array.from(index).filter((v) => !Number.isNaN(v));
    expect(out.validCount).toBe(valid.length);
    expect(out.validCount).toBe(width * height - 3);
    expect(out.indexMin).toBe(Math.min(...valid));
    expect(out.indexMax).toBe(Math.max(...valid));
  });

  it('works without a contour band and reports NaN extremes when nothing is valid', () => {
    const a = new Float32Array(4).fill(Number.NaN);
    const out = scanWindow({
      width: 2,
      height: 2,
      originX: 0,
      originY: 0,
      a,
      b: a,
      band: null,
      histogram,
      blocks,
      halo: 1,
    });
    expect(out.blockStats).toBeNull();
    expect(out.bandFrame).toBeNull();
    expect(out.validCount).toBe(0);
    expect(out.indexMin).toBeNaN();
  });

  it('rejects bands of the wrong size and leaves its inputs unchanged', () => {
    const { a, b, band } = bands(4, 4);
    expect(() =>
      scanWindow({ width: 5, height: 4, originX: 0, originY: 0, a, b, band, histogram, blocks, halo: 1 }),
    ).toThrow(RangeError);
    const copy = [a.slice(), b.slice(), band.slice()];
    scanWindow({ width: 4, height: 4, originX: 0, originY: 0, a, b, band, histogram, blocks, halo: 1 });
    expect([a, b, band]).toEqual(copy);
  });
});
