/**
 * Warm-up of the pipeline kernels in a fresh worker thread, on a small synthetic coast.
 *
 * V8 optimises a kernel while its first real window is still running (on-stack replacement), from the type
 * feedback gathered so far: the statements after the main loop and the rare branches have none yet, so the
 * optimised code is thrown away on reaching them and the kernel is optimised again, sometimes several
 * times. Each worker is its own isolate and pays this again, and with two workers the compiler threads
 * take the cores the workers need. Running each kernel once beforehand on a small coast that takes every
 * branch (open water, land, a pond, nodata, a shore of every slope) gives complete feedback. The output is
 * unchanged: the kernels are pure, and the arena slots they share are overwritten by every window
 * (scratch-arena.ts).
 */
import type { ScratchArena } from '../common/scratch-arena.ts';
import { DEFAULT_BLOCK_SPEC, uniformLevels } from '../pipeline/block-levels.ts';
import { CONTOUR_HALO_PX, type ContourWindowInput, contourWindow } from '../pipeline/contour-window.ts';
import { DEFAULT_HISTOGRAM_BINS } from '../pipeline/otsu-threshold.ts';
import { scanWindow } from '../pipeline/scan-window.ts';
import { gatherRing, windowGrid } from '../pipeline/window-grid.ts';

/** Edge of the synthetic window: enough for every branch, small enough to run in a few milliseconds. */
const WARM_UP_SIZE = 96;
const HALO = CONTOUR_HALO_PX;

/**
 * A synthetic coast of `size`² pixels plus the contour halo on every side (scene pixels 0 … size + 2·halo − 1):
 * water index > 0 west of a wavy, slanting shore (around a peninsula) and in a pond, NaN in a nodata
 * corner; the contour band (SWIR-like) dark over water, bright over land, linear in the water fraction.
 */
export function syntheticCoast(size: number) {
  const full = size + 2 * HALO;
  const indexAt = (x: number, y: number): number => {
    if (x > full * 0.7 && y > full * 0.75) return Number.NaN;
    if ((x - full * 0.78) ** 2 + (y - full * 0.3) ** 2 < 30) return 0.6;
    // A peninsula from the north edge: the water on either side of it joins south of its tip.
    if (x >= full * 0.15 && x < full * 0.2 && y < full * 0.5) return -0.5;
    const shore = full * 0.4 + 10 * Math.sin(y / 7) + 0.15 * y;
    return Math.min(1, Math.max(0, shore - x + 0.5)) - 0.5;
  };
  const bandAt = (x: number, y: number): number => {
    const v = indexAt(x, y);
    return Number.isNaN(v) ? v : 0.3 - 0.25 * Math.min(1, Math.max(0, v + 0.5));
  };
  /** The window's own pixels (scene pixels HALO … HALO + size − 1 on both axes). */
  const windowOf = (at: (x: number, y: number) => number): Float32Array => {
    const out = new Float32Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) out[y * size + x] = at(x + HALO, y + HALO);
    return out;
  };
  // gatherRing only reads the scene size from the grid: one window covering the scene will do.
  const scene = windowGrid(full, full, full);
  const window = { x0: HALO, y0: HALO, x1: HALO + size, y1: HALO + size };
  const ringOf = (at: (x: number, y: number) => number) => gatherRing(scene, window, HALO, at);
  const swir = windowOf(bandAt);
  // Green whose normalized difference with the SWIR band is the index: (g − s)/(g + s) = v.
  const green = windowOf((x, y) => {
    const v = indexAt(x, y);
    return (bandAt(x, y) * (1 + v)) / (1 - v);
  });
  const contour: ContourWindowInput = {
    window,
    sceneWidth: full,
    sceneHeight: full,
    index: windowOf(indexAt),
    band: swir,
    indexRing: ringOf(indexAt),
    bandRing: ringOf(bandAt),
    split: { threshold: 0, waterMean: 0.5, landMean: -0.5 },
    levels: uniformLevels(full, 0.05, 0.3),
  };
  return { green, swir, contour };
}

/** Runs the pass-1 kernel once: at worker start, while the main thread is still opening the scene. */
export function warmUpScanKernel(): void {
  const { green, swir } = syntheticCoast(WARM_UP_SIZE);
  scanWindow({
    width: WARM_UP_SIZE,
    height: WARM_UP_SIZE,
    originX: HALO,
    originY: HALO,
    a: green,
    b: swir,
    band: swir,
    histogram: { min: -1, max: 1, bins: DEFAULT_HISTOGRAM_BINS },
    blocks: DEFAULT_BLOCK_SPEC,
    halo: HALO,
    indexOut: new Float32Array(WARM_UP_SIZE * WARM_UP_SIZE),
  });
}

/** Runs the pass-2 kernels once, with the worker's own arena (the argument shapes real windows have). */
export function warmUpContourKernels(arena: ScratchArena): void {
  contourWindow({ ...syntheticCoast(WARM_UP_SIZE).contour, arena });
}
