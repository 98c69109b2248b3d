import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScratchArena } from '../common/scratch-arena.ts';
import { contourWindow } from '../pipeline/contour-window.ts';
import { INITIAL_LABELS } from '../pipeline/water-components.ts';
import {
  syntheticCoast,
  WARM_UP_ROUNDS,
  type WarmUpHandlers,
  warmUpKernels,
  warmUpTasks,
} from './kernel-warm-up.ts';
import type { ContourTask, ScanTask } from './protocol.ts';
import { windowTasks } from './window-tasks.ts';

/**
 * The worker's own handlers (window-tasks.ts) on `arena`, recording the tasks they get and the segments
 * of each round's coast, the contour of the pixels that round's scan kept.
 */
function kernelHandlers(arena: ScratchArena, seen: { scans: ScanTask[]; contours: ContourTask[] }) {
  const real = windowTasks(arena);
  let lastSegments = -1;
  let coastPending = false;
  const handlers: WarmUpHandlers = {
    scanBands(task, bands) {
      seen.scans.push(task);
      coastPending = true;
      return real.scanBands(task, bands);
    },
    async contour(task) {
      seen.contours.push(task);
      const out = await real.contour(task);
      if (coastPending && !task.uniform) {
        lastSegments = out.segments.count;
        coastPending = false;
      }
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

  it('has, even in the smallest round, a speckle of more one-pixel ponds than the labelling first holds', () => {
    const out = contourWindow(syntheticCoast(Math.min(...WARM_UP_ROUNDS), { speckle: true }).contour);
    expect(out.componentCount).toBeGreaterThan(INITIAL_LABELS);
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

  it('keeps the kernels optimised through a full GC after it (regression: the maps they relied on were freed)', () => {
    // A fresh thread that warms up its handlers, as a worker does, then collects everything it no longer
    // references, as a worker's heap does sooner or later between the warm-up and the contour pass. V8's
    // own trace says what it optimised and what it threw away; compiling synchronously makes "optimised by
    // the end of the warm-up" certain.
    const script =
      "import { ScratchArena } from './common/scratch-arena.ts';" +
      "import { warmUpKernels } from './workers/kernel-warm-up.ts';" +
      "import { windowTasks } from './workers/window-tasks.ts';" +
      'const tasks = windowTasks(new ScratchArena());' +
      'await warmUpKernels(tasks);' +
      "console.log('WARMED UP');" +
      'globalThis.gc();' +
      // The handlers stay alive, as a worker's do.
      "console.log('COLLECTED', typeof tasks.contour);";
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--expose-gc',
        '--no-concurrent-recompilation',
        '--trace-opt',
        '--trace-deopt',
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: fileURLToPath(new URL('../', import.meta.url)), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(child.status, child.stderr).toBe(0);
    const [warmUp = '', afterGc = ''] = child.stdout.split('WARMED UP');
    expect(afterGc).toContain('COLLECTED');
    // The shore field's small estimators (crossingAt, #fractionAt, #bandFraction) are compiled inside the
    // kernels that call them (marchingSquares from a single site, classify), not on their own: so with
    // synchronous compiles, as here. With V8's usual concurrent compiles, a caller waiting in the compile
    // queue keeps calling them from the interpreter, and they can get hot on their own too
    // (docs/extraction-performance.md).
    const kernels = [
      'scanWindow',
      'classify',
      '#bandFractionOf',
      'sampleLevels',
      'labelWaterComponents',
      'marchingSquares',
    ];
    for (const name of kernels) {
      expect(warmUp, `${name} optimised during the warm-up`).toMatch(
        new RegExp(`completed compiling 0x[0-9a-f]+ <JSFunction ${name} `),
      );
    }
    const thrownAway = [
      ...afterGc.matchAll(
        /<SharedFunctionInfo ([^>]+)>\) \(opt id \d+\) for deoptimization, reason: weak objects/g,
      ),
    ].map((m) => m[1]);
    for (const name of kernels) expect(thrownAway).not.toContain(name);
  });
});
