import { describe, expect, it } from 'vitest';
import { ScratchArena } from '../common/scratch-arena.ts';
import { contourWindow } from '../pipeline/contour-window.ts';
import { syntheticCoast, warmUpContourKernels, warmUpScanKernel } from './kernel-warm-up.ts';

describe('kernel warm-up', () => {
  it('runs on a coast that takes every branch: water, land, a closed pond and nodata', () => {
    const out = contourWindow(syntheticCoast(96).contour);
    // More segments than the segment buffer's first capacity (256), so its growth is exercised too.
    expect(out.segments.count).toBeGreaterThan(256);
    // The open water and the pond are separate components; the nodata corner makes pixels invalid.
    expect(out.componentCount).toBeGreaterThanOrEqual(2);
    expect(out.validCount).toBeLessThan(96 * 96);
    expect(out.waterCount).toBeGreaterThan(0);
    expect(out.waterCount).toBeLessThan(out.validCount);
    expect(() => warmUpScanKernel()).not.toThrow();
  });

  it('leaves no trace: a window contoured after the warm-up with the same arena is identical', () => {
    for (const size of [40, 130]) {
      const input = syntheticCoast(size).contour;
      const fresh = contourWindow(input);
      const arena = new ScratchArena();
      warmUpContourKernels(arena);
      const afterWarmUp = contourWindow({ ...input, arena });
      expect(afterWarmUp).toEqual(fresh);
    }
  });
});
