/**
 * What an extraction worker does with one window of each pass: read it (from the source the main thread
 * opened, restored once per scene), then run the pipeline kernels on it. extract-worker.ts is the Piscina
 * side around it.
 */
import { keepLatest } from '../common/keep-shape.ts';
import type { ScratchArena } from '../common/scratch-arena.ts';
import { contourWindow } from '../pipeline/contour-window.ts';
import { scanWindow } from '../pipeline/scan-window.ts';
import { WATER_INDEX, waterIndex } from '../pipeline/water-index.ts';
import { fromFrame } from '../pipeline/window-grid.ts';
import type { BandKey, SceneSource } from '../sources/scene-source.ts';
import { restoreSceneSource } from '../sources/source-snapshot.ts';
import type {
  ContourResult,
  ContourTask,
  PixelSlot,
  ScanResult,
  ScanTask,
  SceneOpenSpec,
} from './protocol.ts';

/** Restored sources, reused across the tasks of one scene (a worker sees many windows of it). */
const sources = new Map<string, Promise<SceneSource>>();
const MAX_CACHED_SOURCES = 4;
/** The main thread's source of a task, restored once per extraction. */
function openCached(scene: SceneOpenSpec): Promise<SceneSource> {
  let source = sources.get(scene.id);
  if (!source) {
    const key = scene.id;
    source = restoreSceneSource(scene.source);
    source.catch(() => sources.delete(key));
    sources.set(key, source);
    while (sources.size > MAX_CACHED_SOURCES) {
      const oldest = sources.keys().next().value as string;
      const evicted = sources.get(oldest);
      sources.delete(oldest);
      void evicted?.then((s) => s.close()).catch(() => undefined);
    }
  }
  return source;
}

function bandsFor(task: ScanTask | ContourTask): BandKey[] {
  const bands = new Set<BandKey>(WATER_INDEX[task.index].bands);
  if (task.contourBand) bands.add(task.contourBand);
  return [...bands];
}

/**
 * The handlers of the two passes, on a thread's `arena` (nothing they return lives in it). The kernel
 * warm-up (kernel-warm-up.ts) drives these very functions, so V8 compiles what real tasks run.
 */
export function windowTasks(arena: ScratchArena) {
  async function scan(task: ScanTask): Promise<ScanResult> {
    const source = await openCached(task.scene);
    return scanBands(task, await source.readWindow(task.window, bandsFor(task), undefined, arena));
  }

  /** Pass 1 on a window's decoded bands. */
  function scanBands(task: ScanTask, bands: Partial<Record<BandKey, Float32Array>>): ScanResult {
    const { window: w } = task;
    const needed = WATER_INDEX[task.index].bands;
    // The normalized differences are computed inside the fused scan; AWEI is computed here.
    const given = task.index === 'awei' ? waterIndex('awei', bands, task.reflectanceScale, arena) : undefined;
    const band = task.contourBand ? bands[task.contourBand]! : null;
    const n = (w.x1 - w.x0) * (w.y1 - w.y0);
    const kept = task.keep ? slotViews(task.keep, n) : null;
    if (kept?.band && band) kept.band.set(band);
    const out = scanWindow({
      width: w.x1 - w.x0,
      height: w.y1 - w.y0,
      originX: w.x0,
      originY: w.y0,
      a: bands[needed[0]!]!,
      b: bands[needed[1]!]!,
      index: given ?? null,
      band,
      histogram: task.histogram,
      blocks: task.blocks,
      halo: task.halo,
      indexOut: kept ? kept.index : null,
    });
    // Its objects' shapes outlive it (common/keep-shape.ts); not its slot, which holds the pixel cache.
    keepLatest('scan task', { ...task, keep: null });
    return out;
  }

  async function contour(task: ContourTask): Promise<ContourResult> {
    const { window: w, uniform, kept } = task;
    const width = w.x1 - w.x0;
    const height = w.y1 - w.y0;
    let index: Float32Array;
    let band: Float32Array | null;
    if (uniform) {
      const n = width * height;
      index = fromFrame(uniform.indexFrame, width, height, uniform.fill, arena.float32('uniform:index', n));
      band = uniform.bandFrame
        ? fromFrame(uniform.bandFrame, width, height, 0, arena.float32('uniform:band', n))
        : null;
    } else if (kept) {
      // Pass 1 computed these exactly as below (the index already NaN wherever the band is).
      ({ index, band } = slotViews(kept, width * height));
    } else {
      const source = await openCached(task.scene);
      const bands = await source.readWindow(w, bandsFor(task), undefined, arena);
      index = waterIndex(task.index, bands, task.reflectanceScale, arena);
      band = task.contourBand ? bands[task.contourBand]! : null;
      if (band) for (let i = 0; i < index.length; i++) if (Number.isNaN(band[i]!)) index[i] = Number.NaN;
    }
    const out = contourWindow({
      window: task.window,
      sceneWidth: task.sceneWidth,
      sceneHeight: task.sceneHeight,
      index,
      band,
      indexRing: task.indexRing,
      bandRing: task.bandRing,
      split: task.split,
      levels: task.levels,
      arena,
    });
    keepLatest('contour task', { ...task, kept: null });
    return out;
  }

  return { scan, scanBands, contour };
}

/** The index and band of a window in its slot of the shared pixel buffer. */
function slotViews(slot: PixelSlot, n: number): { index: Float32Array; band: Float32Array | null } {
  return {
    index: new Float32Array(slot.buffer, slot.byteOffset, n),
    band: slot.hasBand ? new Float32Array(slot.buffer, slot.byteOffset + 4 * n, n) : null,
  };
}
