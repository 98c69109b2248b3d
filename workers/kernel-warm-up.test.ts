import { describe, expect, it } from 'vitest';
import { ScratchArena } from '../common/scratch-arena.ts';
import { contourWindow } from '../pipeline/contour-window.ts';
import { scanWindow } from '../pipeline/scan-window.ts';
import { fromFrame } from '../pipeline/window-grid.ts';
import { syntheticCoast, type WarmUpHandlers, warmUpKernels, warmUpTasks } from './kernel-warm-up.ts';
import type { ContourTask, ScanTask } from './protocol.ts';

/**
 * Handlers built on the real kernels as the worker calls them: the scan keeps its pixels in the task's
 * slot, and the contour reads them back from there (or rebuilds a uniform window from its frame).
 */
function kernelHandlers(arena: ScratchArena, seen: { scans: ScanTask[]; contours: ContourTask[] }) {
  let lastSegments = -1;
  const handlers: WarmUpHandlers = {
    scanBands(task, bands) {
      seen.scans.push(task);
      const w = task.window;
      const n = (w.x1 - w.x0) * (w.y1 - w.y0);
      const slot = task.keep!;
      const band = new Float32Array(slot.buffer, slot.byteOffset + 4 * n, n);
      band.set(bands.swir16!);
      return scanWindow({
        width: w.x1 - w.x0,
        height: w.y1 - w.y0,
        originX: w.x0,
        originY: w.y0,
        a: bands.green!,
        b: bands.swir16!,
        band,
        histogram: task.histogram,
        blocks: task.blocks,
        halo: task.halo,
        indexOut: new Float32Array(slot.buffer, slot.byteOffset, n),
      });
    },
    async contour(task) {
      seen.contours.push(task);
      const w = task.window;
      const width = w.x1 - w.x0;
      const height = w.y1 - w.y0;
      const n = width * height;
      const index = task.uniform
        ? fromFrame(task.uniform.indexFrame, width, height, task.uniform.fill)
        : new Float32Array(task.kept!.buffer, task.kept!.byteOffset, n);
      const band = task.uniform
        ? fromFrame(task.uniform.bandFrame!, width, height, 0)
        : new Float32Array(task.kept!.buffer, task.kept!.byteOffset + 4 * n, n);
      const out = contourWindow({ ...task, index, band, arena });
      if (!task.uniform) lastSegments = out.segments.count;
      return out;
    },
  };
  return { handlers, segments: () => lastSegments };
}

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
  });

  it('has a speckle of more one-pixel ponds than the labelling and contour buffers first hold', () => {
    const out = contourWindow(syntheticCoast(96, { speckle: true }).contour);
    expect(out.componentCount).toBeGreaterThan(1024);
  });

  it('drives both passes through the handlers with copies of real-shaped tasks', async () => {
    const seen = { scans: [] as ScanTask[], contours: [] as ContourTask[] };
    const { handlers, segments } = kernelHandlers(new ScratchArena(), seen);
    await warmUpKernels(handlers, [40, 96]);
    expect(seen.scans.map((t) => t.window.x1 - t.window.x0)).toEqual([40, 96]);
    // Per round: the contour of the pixels the scan kept, a uniform window, the speckle.
    const kinds = seen.contours.map((t) => {
      if (t.uniform) return 'uniform';
      const n = (t.window.x1 - t.window.x0) * (t.window.y1 - t.window.y0);
      const index = new Float32Array(t.kept!.buffer, t.kept!.byteOffset, n);
      // A quarter of the speckle's pixels are water, every one of them alone.
      return index.filter((v) => v > 0).length === n / 4 ? 'speckle' : 'kept';
    });
    expect(kinds).toEqual(['kept', 'uniform', 'speckle', 'kept', 'uniform', 'speckle']);
    // The kept pixels are those the scan wrote: the coast is found in them.
    expect(segments()).toBeGreaterThan(256);
    // Tasks arrive as structured clones (as through postMessage), not as the warm-up's own objects.
    const own = warmUpTasks(96);
    expect(seen.scans[1]).toEqual(own.scan);
    expect(seen.scans[1]).not.toBe(seen.scans[0]);
    expect(seen.scans[1]!.keep!.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('leaves no trace: a window contoured after the warm-up with the same arena is identical', async () => {
    for (const size of [40, 130]) {
      const input = syntheticCoast(size).contour;
      const fresh = contourWindow(input);
      const arena = new ScratchArena();
      await warmUpKernels(kernelHandlers(arena, { scans: [], contours: [] }).handlers);
      const afterWarmUp = contourWindow({ ...input, arena });
      expect(afterWarmUp).toEqual(fresh);
    }
  });
});
