/**
 * Warm-up of the pipeline kernels in a fresh worker thread, on small synthetic windows.
 *
 * V8 optimises a kernel while its first real window is still running (on-stack replacement), from the type
 * feedback gathered so far: the statements after the main loop and the rare branches have none yet, so the
 * optimised code is thrown away on reaching them and the kernel is optimised again, sometimes several
 * times. Each worker is its own isolate and pays this again, and with two workers the compiler threads
 * take the cores the workers need. Running the worker's own task handlers beforehand on synthetic tasks
 * that take every branch (open water, land, a pond, nodata, a shore of every slope, a uniform window,
 * thousands of one-pixel ponds) gives complete feedback, so each kernel is compiled about once
 * (`warmUpKernels` says how). The output is unchanged: the kernels are pure, and the arena slots they
 * share are overwritten by every window (scratch-arena.ts).
 */
import { DEFAULT_BLOCK_SPEC, type LevelGrid } from '../pipeline/block-levels.ts';
import { CONTOUR_HALO_PX, type ContourWindowInput } from '../pipeline/contour-window.ts';
import { DEFAULT_HISTOGRAM_BINS } from '../pipeline/otsu-threshold.ts';
import { frameOf, gatherRing, windowGrid } from '../pipeline/window-grid.ts';
import type { BandKey } from '../sources/scene-source.ts';
import type {
  ContourResult,
  ContourTask,
  PixelSlot,
  ScanResult,
  ScanTask,
  SceneOpenSpec,
} from './protocol.ts';

const HALO = CONTOUR_HALO_PX;

/**
 * A synthetic coast of `size`² pixels plus the contour halo on every side (scene pixels 0 … size + 2·halo − 1):
 * water index > 0 west of a wavy, slanting shore (around a peninsula) and in a pond, NaN in a nodata
 * corner; the contour band (SWIR-like) dark over water, bright over land, linear in the water fraction.
 * With `speckle`, the water is instead thousands of one-pixel ponds.
 *
 * Built row by row, with typed-array fills: no function runs per pixel. (Per-pixel helpers got hot enough
 * for V8 to compile them with the optimising compiler in every worker, about 40 ms of compiler time per
 * worker at start-up, when both cores are busiest.)
 */
export function syntheticCoast(size: number, { speckle = false } = {}) {
  const full = size + 2 * HALO;
  const index = new Float32Array(full * full);
  const band = new Float32Array(full * full);
  const green = new Float32Array(full * full);
  /** Pixels [x0, x1) of row `y` get index `v`; the band and green follow from it. */
  const put = (y: number, x0: number, x1: number, v: number) => {
    const from = y * full + Math.max(0, x0);
    const to = y * full + Math.min(full, x1);
    if (from >= to) return;
    // The band is linear in the water fraction; green makes (g − s)/(g + s) equal the index.
    const b = Number.isNaN(v) ? v : 0.3 - 0.25 * Math.min(1, Math.max(0, v + 0.5));
    index.fill(v, from, to);
    band.fill(b, from, to);
    green.fill((b * (1 + v)) / (1 - v), from, to);
  };
  for (let y = 0; y < full; y++) {
    put(y, 0, full, -0.5);
    if (speckle) {
      // One-pixel ponds two pixels apart, thousands of them, so that every buffer of the labelling and the
      // contour grows as on a real window with many small ponds. Each even row is the first one's copy.
      if (y === 0) for (let x = 0; x < full; x += 2) put(0, x, x + 1, 0.6);
      else if (y % 2 === 0) for (const a of [index, band, green]) a.copyWithin(y * full, 0, full);
      continue;
    }
    // Water west of the shore, land east of it, and the one pixel it crosses partly water.
    const shore = full * 0.4 + 10 * Math.sin(y / 7) + 0.15 * y;
    const mixed = Math.floor(shore + 0.5);
    put(y, 0, mixed, 0.5);
    put(y, mixed, mixed + 1, Math.min(1, Math.max(0, shore - mixed + 0.5)) - 0.5);
    // A peninsula from the north edge: the water on either side of it joins south of its tip.
    if (y < full * 0.5) put(y, Math.ceil(full * 0.15), Math.ceil(full * 0.2), -0.5);
    // A closed pond of radius √30 px.
    const dy2 = (y - full * 0.3) ** 2;
    if (dy2 < 30) {
      const r = Math.sqrt(30 - dy2);
      for (let x = Math.ceil(full * 0.78 - r); x <= full * 0.78 + r; x++)
        if ((x - full * 0.78) ** 2 + dy2 < 30) put(y, x, x + 1, 0.6);
    }
    // The nodata corner.
    if (y > full * 0.75) put(y, Math.floor(full * 0.7) + 1, full, Number.NaN);
  }
  /** The window's own pixels (scene pixels HALO … HALO + size − 1 on both axes). */
  const windowOf = (scene: Float32Array): Float32Array => {
    const out = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      const from = (y + HALO) * full + HALO;
      out.set(scene.subarray(from, from + size), y * size);
    }
    return out;
  };
  // gatherRing only reads the scene size from the grid: one window covering the scene will do.
  const scene = windowGrid(full, full, full);
  const window = { x0: HALO, y0: HALO, x1: HALO + size, y1: HALO + size };
  const ringOf = (values: Float32Array) => gatherRing(scene, window, HALO, (x, y) => values[y * full + x]!);
  const swir = windowOf(band);
  const contour: ContourWindowInput = {
    window,
    sceneWidth: full,
    sceneHeight: full,
    index: windowOf(index),
    band: swir,
    indexRing: ringOf(index),
    bandRing: ringOf(band),
    // Not whole numbers, as real splits and levels never are: a field V8 first saw holding small integers
    // changes representation on the first real value, and every kernel compiled against it is thrown away.
    split: { threshold: 0.01, waterMean: 0.51, landMean: -0.49 },
    levels: syntheticLevels(full),
  };
  return { green: windowOf(green), swir, contour };
}

/**
 * Water and land levels of the synthetic band on 32-pixel blocks, a little different from block to block,
 * so that sampling interpolates between blocks as on a real scene.
 */
function syntheticLevels(full: number): LevelGrid {
  // At least three blocks across, also on the small windows: with one, sampling never interpolates.
  const blockSize = Math.min(32, Math.floor(full / 3));
  // Whole blocks only: the pixels past the last block centre take the clamped path, as at a scene's edge.
  const n = Math.max(1, Math.floor(full / blockSize));
  const water = new Float32Array(n * n);
  const land = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) {
    water[i] = 0.05 + 0.002 * (i % 3);
    land[i] = 0.3 - 0.003 * (i % 5);
  }
  return { blockSize, sceneNbx: n, sceneNby: n, bx0: 0, by0: 0, nbx: n, nby: n, water, land };
}

/** The worker's own task handlers, which the warm-up drives exactly as real tasks do. */
export interface WarmUpHandlers {
  /** Pass 1 after decoding: the scan of a window's bands. */
  scanBands(task: ScanTask, bands: Partial<Record<BandKey, Float32Array>>): ScanResult;
  /** Pass 2 (from pixels kept in a shared slot, or a uniform window rebuilt from its frame). */
  contour(task: ContourTask): Promise<ContourResult>;
}

/**
 * Synthetic tasks of both passes on the synthetic coast, as the main thread would send them: a scan that
 * keeps its pixels, the contour of those kept pixels, the contour of a uniform (all-water) window, and
 * that of a speckle of one-pixel ponds.
 */
export function warmUpTasks(size: number) {
  const coast = syntheticCoast(size);
  const { window } = coast.contour;
  const n = size * size;
  const scene = warmUpScene(size);
  const common = {
    scene,
    window,
    index: 'mndwi' as const,
    contourBand: 'swir16' as const,
    reflectanceScale: 1,
  };
  const keep: PixelSlot = { buffer: new SharedArrayBuffer(8 * n), byteOffset: 0, hasBand: true };
  const scan: ScanTask = {
    task: 'scan',
    ...common,
    histogram: { min: -1, max: 1, bins: DEFAULT_HISTOGRAM_BINS },
    blocks: { ...DEFAULT_BLOCK_SPEC, indexMin: -1, indexMax: 1 },
    halo: HALO,
    keep,
  };
  const { contour: input } = coast;
  const base = {
    task: 'contour' as const,
    ...common,
    sceneWidth: input.sceneWidth,
    sceneHeight: input.sceneHeight,
    indexRing: input.indexRing,
    bandRing: input.bandRing,
    split: input.split,
    levels: input.levels,
  };
  const kept: ContourTask = { ...base, uniform: null, kept: keep };
  const water = new Float32Array(n).fill(0.6);
  const uniform: ContourTask = {
    ...base,
    uniform: {
      fill: 1,
      indexFrame: frameOf(water, size, size, HALO),
      bandFrame: frameOf(new Float32Array(n).fill(0.04), size, size, HALO),
    },
    kept: null,
  };
  // The speckle's pixels go straight to a slot of their own, as pass 1 would have kept them.
  const specks = syntheticCoast(size, { speckle: true }).contour;
  const speckSlot: PixelSlot = { buffer: new SharedArrayBuffer(8 * n), byteOffset: 0, hasBand: true };
  new Float32Array(speckSlot.buffer, 0, n).set(specks.index);
  new Float32Array(speckSlot.buffer, 4 * n, n).set(specks.band!);
  const speckle: ContourTask = {
    ...base,
    indexRing: specks.indexRing,
    bandRing: specks.bandRing,
    uniform: null,
    kept: speckSlot,
  };
  return { bands: { green: coast.green, swir16: coast.swir }, scan, kept, uniform, speckle };
}

/**
 * The scene of the warm-up tasks, shaped as a real task's: never read, since every synthetic window is
 * kept, uniform or handed over decoded.
 */
function warmUpScene(size: number): SceneOpenSpec {
  const full = size + 2 * HALO;
  const tiles = new Float64Array(new SharedArrayBuffer(8));
  return {
    id: 'warm-up',
    source: {
      kind: 'geotiff',
      location: 'warm-up.tif',
      size: 0,
      info: {
        fileName: 'warm-up.tif',
        width: full,
        height: full,
        epsg: 32648,
        proj4: '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs',
        crsUnits: 'metre',
        metresPerUnit: 1,
        geoTransform: [0, 10, 0, 0, 0, -10],
        date: null,
        bandMap: { green: 1, nir: 2, swir16: 3 },
        bandDescriptions: ['B03', 'B08', 'B11'],
        nodata: 0,
        reflectanceScale: 1e-4,
        blockWidth: full,
        blockHeight: full,
      },
      layout: {
        tiled: true,
        blockWidth: full,
        blockHeight: full,
        blocksAcross: 1,
        blocksDown: 1,
        planar: 2,
        samplesPerPixel: 3,
        kind: 'uint16',
        littleEndian: true,
        offsets: tiles,
        byteCounts: tiles,
        predictor: 2,
      },
      decoder: { compression: 8, parameters: {} },
      nodata: 0,
      scales: [1, 1, 1],
      offsets: [0, 0, 0],
      mask: null,
    },
  };
}

/**
 * Window edges of the warm-up rounds, all small. No loop of theirs runs long enough for V8 to optimise it
 * mid-call, and there are enough of them to make the kernels hot, so each kernel is optimised whole,
 * between calls. (Code optimised mid-loop lacks the feedback of what follows the loop and is thrown away
 * there: on-stack-replaced `withRing` did that on every real window, 127 times in a 1-worker run of the
 * bench scene, with the earlier rounds of 40 and 96 pixels.) The kernels' buffers start small enough that
 * these windows grow them too (SegmentBuilder in marching-squares.ts).
 */
export const WARM_UP_ROUNDS = [24, 24, 24, 24, 24, 24, 32, 32, 32, 32];

/**
 * Warms the kernels of both passes at worker start, through the worker's own handlers, so that V8
 * compiles each of them about once instead of several times on the first real windows (where, with
 * every core busy with a worker, the compiler threads take time from the workers):
 * - every task crosses a structured clone, as real ones do through postMessage, so the objects the
 *   kernels see have the same shapes (hidden classes) as real tasks';
 * - an ArrayBuffer is detached first, as moving the first real result does: V8 drops all optimised code
 *   that relied on no buffer ever having been detached, so that must happen before, not after;
 * - ten small rounds make the kernels hot, so they are optimised whole, between calls;
 * - it runs without a pause: the handlers' promises are already settled, so the whole warm-up happens as
 *   the worker loads, before it reports ready. (Waiting on a timer would not do: an idle Piscina worker
 *   blocks in Atomics.wait, so a pending timer would only fire once the first real task has arrived.)
 * - the output of real windows is unchanged: the kernels are pure, and the arena slots they share are
 *   overwritten by every window (scratch-arena.ts).
 */
export async function warmUpKernels(
  handlers: WarmUpHandlers,
  rounds: readonly number[] = WARM_UP_ROUNDS,
): Promise<void> {
  structuredClone(null, { transfer: [new ArrayBuffer(8)] });
  const bySize = new Map<number, ReturnType<typeof warmUpTasks>>();
  for (const size of rounds) {
    const tasks = bySize.get(size) ?? warmUpTasks(size);
    bySize.set(size, tasks);
    handlers.scanBands(structuredClone(tasks.scan), tasks.bands);
    for (const task of [tasks.kept, tasks.uniform, tasks.speckle])
      await handlers.contour(structuredClone(task));
  }
}
