import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { TidemarkError } from '../common/errors.ts';
import {
  assembleShorelines,
  referenceInPixels,
  type ShorelineCollection,
} from '../pipeline/assemble-shorelines.ts';
import {
  type BlockSpec,
  blocksForPixels,
  type ClassSplit,
  clearLimits,
  DEFAULT_BLOCK_SPEC,
  sliceLevelGrid,
} from '../pipeline/block-levels.ts';
import { CONTOUR_HALO_PX } from '../pipeline/contour-window.ts';
import { DEFAULT_HISTOGRAM_BINS } from '../pipeline/otsu-threshold.ts';
import { buildLevels, chooseSplit } from '../pipeline/scene-split.ts';
import { WATER_INDEX, WATER_INDEX_NAMES, type WaterIndexName } from '../pipeline/water-index.ts';
import {
  ringFromFrames,
  type WindowGrid,
  windowAt,
  windowCount,
  windowGrid,
} from '../pipeline/window-grid.ts';
import { requireBands } from '../sources/band-mapping.ts';
import { openSceneSource, type SceneInput } from '../sources/open-scene-source.ts';
import {
  type BandKey,
  DEFAULT_MAX_PIXELS,
  type PixelWindow,
  type SceneInfo,
} from '../sources/scene-source.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import type { ContourTask, PixelSlot, ScanResult, SceneOpenSpec } from '../workers/protocol.ts';
import { DEFAULT_MIN_LENGTH_M, DEFAULT_PIXEL_CACHE_BYTES } from './extract-defaults.ts';

export interface ExtractOptions {
  /** Explicit 1-based band numbers (`--bands`); they win over band descriptions. */
  bands?: Partial<Record<BandKey, number>>;
  /** Acquisition date (`--date`, YYYY-MM-DD); wins over the file's metadata. */
  date?: string;
  /** A cloud-mask GeoTIFF on the scene's grid (`--mask`): non-zero masks the pixel. */
  mask?: string;
  /** Water index; default mndwi when a SWIR 1.6 µm band is mapped, else ndwi. */
  index?: WaterIndexName;
  /** 'otsu' (default) or a fixed index threshold. */
  threshold?: 'otsu' | number;
  /** Shorter lines are dropped (default 200 m). */
  minLengthM?: number;
  /** Rasters declaring more pixels are rejected before anything is read (default 2·10⁹). */
  maxPixels?: number;
  /** Window edge in pixels (default: about 1024, aligned to the file's tiles). */
  windowSize?: number;
  /**
   * A known shoreline or sea outline (GeoJSON in EPSG:4326: lines or polygons): only shoreline within
   * `bufferM` of it is kept (`--reference`).
   */
  reference?: { geojson: unknown; bufferM: number };
  /**
   * Memory for windows kept from pass 1 for pass 2, which then need not be read and decoded again
   * (default 512 MB; 0 reads every window twice). Windows beyond it are simply read again.
   */
  pixelCacheBytes?: number;
}

export interface ExtractProgress {
  stage: 'scan' | 'contour';
  done: number;
  total: number;
}

export interface ExtractContext {
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress) => void;
  /** A pool to reuse across scenes; without one, a pool is created and destroyed for this call. */
  pool?: ExtractPool;
}

export type { ShorelineFeature, ShorelineProperties } from '../pipeline/assemble-shorelines.ts';

export interface ExtractResult {
  /** EPSG:4326 (RFC 7946) lines with the sea on their right-hand side. */
  shorelines: ShorelineCollection;
  scene: SceneInfo;
  threshold: number;
  /** Share of valid pixels classified as water (sea and inland water). */
  waterFraction: number;
}

const TARGET_WINDOW_PX = 1024;
const MIN_WINDOW_PX = 64;
/** Extractions started in this process: the id under which workers cache each one's restored source. */
let extractions = 0;

/**
 * Extracts the sea shoreline of one scene. Two passes of windows over the worker pool:
 *  1. scan: per window, the water index's histogram, per-block statistics of the contour band and the
 *     halo-wide frame of the window's border pixels;
 *  2. contour: per window (with the frames of its neighbours as halo), classification with the global
 *     threshold and the local water/land levels, water components and every water/land boundary.
 * The main thread merges histograms (Otsu), builds the level grid, joins water components across
 * windows to tell the sea from ponds, stitches the sea's boundary segments by edge id, and projects.
 */
export async function extractScene(
  input: SceneInput,
  options: ExtractOptions,
  ctx: ExtractContext = {},
): Promise<ExtractResult> {
  validateOptions(options);
  ctx.signal?.throwIfAborted();
  if (ctx.pool) return extractWithPool(input, options, ctx, ctx.pool);
  // Started before the scene is even opened: the workers boot while the main thread parses the header.
  const pool = createExtractPool();
  try {
    return await extractWithPool(input, options, ctx, pool);
  } finally {
    await pool.destroy();
  }
}

async function extractWithPool(
  input: SceneInput,
  options: ExtractOptions,
  ctx: ExtractContext,
  pool: ExtractPool,
): Promise<ExtractResult> {
  const { signal } = ctx;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const source = await openSceneSource(input, {
    ...(options.bands ? { bands: options.bands } : {}),
    ...(options.date !== undefined ? { date: options.date } : {}),
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
    maxPixels,
  });
  const info = source.info;
  const snapshot = source.snapshot();
  await source.close();
  const index =
    options.index ?? (info.bandMap.swir16 !== undefined || info.bandMap.nir === undefined ? 'mndwi' : 'ndwi');
  requireBands(info, WATER_INDEX[index].bands, `the ${index.toUpperCase()} water index`);
  const spec = WATER_INDEX[index];
  const contourBand = spec.contourBand;
  const reflectanceScale = info.reflectanceScale ?? (spec.needsReflectance ? null : 1);
  if (reflectanceScale === null) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${index.toUpperCase()} needs surface reflectance, but ${info.fileName} has neither scale metadata nor a ` +
        'BOA_QUANTIFICATION_VALUE; use --index mndwi or ndwi (ratios need no scale)',
    );
  }
  const histogram = { min: spec.range[0], max: spec.range[1], bins: DEFAULT_HISTOGRAM_BINS };
  const t = options.threshold;
  if (typeof t === 'number' && !(t > spec.range[0] && t < spec.range[1])) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `threshold ${t} is outside the range of ${index.toUpperCase()} (${spec.range[0]} to ${spec.range[1]})`,
    );
  }
  const blockSpec: BlockSpec = { ...DEFAULT_BLOCK_SPEC, indexMin: spec.range[0], indexMax: spec.range[1] };
  // Workers restore the source opened here from its snapshot, without parsing the scene again.
  const scene: SceneOpenSpec = { id: String(++extractions), source: snapshot };

  const reference = options.reference ? referenceInPixels(info, options.reference) : null;
  const grid = windowGrid(info.width, info.height, chooseWindowSize(info, options.windowSize, pool.threads));
  // Pass 1 keeps the pixels (index, and the contour band: float32 each) of as many windows as the cache
  // holds, in one buffer every thread shares: nothing per window is allocated, copied or moved.
  const windowBytes = grid.size * grid.size * 4 * (contourBand ? 2 : 1);
  const keptWindows = Math.min(
    windowCount(grid),
    Math.floor((options.pixelCacheBytes ?? DEFAULT_PIXEL_CACHE_BYTES) / windowBytes),
  );
  const kept = keptWindows > 0 ? new SharedArrayBuffer(keptWindows * windowBytes) : null;
  const slotOf = (w: number): PixelSlot | null =>
    kept && w < keptWindows
      ? { buffer: kept, byteOffset: w * windowBytes, hasBand: contourBand !== null }
      : null;
  // One failing window stops the others at once instead of waiting for the whole pass.
  const stop = new AbortController();
  // Every queued task listens on it: as many listeners as windows is expected, not a leak.
  setMaxListeners(0, stop.signal);
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const scans = await runAll(grid, stop, ctx, 'scan', (w) =>
      pool.run(
        {
          task: 'scan',
          scene,
          window: windowAt(grid, w),
          index,
          contourBand,
          histogram,
          blocks: blockSpec,
          halo: CONTOUR_HALO_PX,
          reflectanceScale,
          keep: slotOf(w),
        },
        { signal: stop.signal },
      ),
    );
    const { split, validCount } = chooseSplit(info, index, options.threshold ?? 'otsu', scans, histogram);
    const uniform = scans.map((s, w) => uniformFill(s, windowAt(grid, w), split));
    const levels = buildLevels(info, blockSpec, scans, split);
    const indexFrames = scans.map((s) => s.indexFrame);
    const bandFrames = scans.map((s) => s.bandFrame);
    const contours = await runAll(grid, stop, ctx, 'contour', (w) => {
      const window = windowAt(grid, w);
      const indexRing = ringFromFrames(grid, indexFrames, w, CONTOUR_HALO_PX);
      const bandRing = ringFromFrames(grid, bandFrames, w, CONTOUR_HALO_PX);
      const b =
        levels &&
        blocksForPixels(
          levels,
          window.x0 - CONTOUR_HALO_PX,
          window.y0 - CONTOUR_HALO_PX,
          window.x1 + CONTOUR_HALO_PX,
          window.y1 + CONTOUR_HALO_PX,
        );
      const slice = levels && b ? sliceLevelGrid(levels, b.bx0, b.by0, b.bx1, b.by1) : null;
      const transfer = [indexRing, bandRing].flatMap((r) => [
        r.top.buffer,
        r.bottom.buffer,
        r.left.buffer,
        r.right.buffer,
      ]);
      if (slice) transfer.push(slice.water.buffer as ArrayBuffer, slice.land.buffer as ArrayBuffer);
      return pool.run(
        {
          task: 'contour',
          scene,
          window,
          index,
          contourBand,
          sceneWidth: info.width,
          sceneHeight: info.height,
          indexRing,
          bandRing,
          split,
          levels: slice,
          reflectanceScale,
          uniform: uniform[w]!,
          // A uniform window is rebuilt from its frame instead.
          kept: uniform[w] ? null : slotOf(w),
        },
        { signal: stop.signal, transfer: transfer as ArrayBuffer[] },
      );
    });
    const shorelines = assembleShorelines(
      info,
      grid,
      contours,
      index,
      split.threshold,
      options.minLengthM ?? DEFAULT_MIN_LENGTH_M,
      reference,
    );
    const water = contours.reduce((sum, c) => sum + c.waterCount, 0);
    return {
      shorelines,
      scene: info,
      threshold: split.threshold,
      waterFraction: validCount > 0 ? water / validCount : 0,
    };
  } catch (err) {
    if (signal?.aborted) {
      throw signal.reason instanceof TidemarkError
        ? signal.reason
        : new TidemarkError('ABORTED', 'extraction aborted');
    }
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

/**
 * For a window that pass 1 found fully valid and uniformly clear water (or land), the constant that
 * stands in for its interior in pass 2; null for every other window.
 */
function uniformFill(scan: ScanResult, window: PixelWindow, split: ClassSplit): ContourTask['uniform'] {
  const pixels = (window.x1 - window.x0) * (window.y1 - window.y0);
  if (scan.validCount !== pixels) return null;
  const { waterFrom, landTo } = clearLimits(split);
  let fill: number;
  if (scan.indexMin >= waterFrom) fill = 1;
  else if (scan.indexMax <= landTo) fill = -1;
  else return null;
  return { fill, indexFrame: scan.indexFrame, bandFrame: scan.bandFrame };
}

function validateOptions(options: ExtractOptions): void {
  if (options.index !== undefined && !WATER_INDEX_NAMES.includes(options.index)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `unknown index "${String(options.index)}": use ${WATER_INDEX_NAMES.join(' or ')}`,
    );
  }
  const t = options.threshold;
  if (t !== undefined && t !== 'otsu' && !(typeof t === 'number' && Number.isFinite(t))) {
    throw new TidemarkError('INVALID_INPUT', `threshold must be "otsu" or a number, got ${String(t)}`);
  }
  const m = options.minLengthM;
  if (m !== undefined && !(Number.isFinite(m) && m >= 0)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `minimum length must be a number of metres ≥ 0, got ${String(m)}`,
    );
  }
  const p = options.maxPixels;
  if (p !== undefined && !(Number.isFinite(p) && p >= 1)) {
    throw new TidemarkError('INVALID_INPUT', `max pixels must be a number ≥ 1, got ${String(p)}`);
  }
  const c = options.pixelCacheBytes;
  if (c !== undefined && !(Number.isFinite(c) && c >= 0)) {
    throw new TidemarkError('INVALID_INPUT', `pixel cache must be a number of bytes ≥ 0, got ${String(c)}`);
  }
  const w = options.windowSize;
  if (w !== undefined && !(Number.isInteger(w) && w >= 4)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `window size must be a whole number of pixels ≥ 4, got ${String(w)}`,
    );
  }
}

/**
 * About TARGET_WINDOW_PX, a multiple of the tile size so no tile is decoded twice, and small enough that
 * every worker gets windows on small scenes too.
 */
function chooseWindowSize(
  info: SceneInfo,
  requested: number | undefined,
  threads = availableParallelism(),
): number {
  if (requested !== undefined) return requested;
  const block = info.blockWidth === info.blockHeight && info.blockWidth < info.width ? info.blockWidth : 1;
  const align = (px: number) => Math.max(block, Math.round(px / block) * block);
  let size = align(TARGET_WINDOW_PX);
  const windows = (s: number) => Math.ceil(info.width / s) * Math.ceil(info.height / s);
  while (windows(size) < 2 * threads && size / 2 >= MIN_WINDOW_PX && align(size / 2) < size)
    size = align(size / 2);
  return size;
}

async function runAll<T>(
  grid: WindowGrid,
  stop: AbortController,
  ctx: ExtractContext,
  stage: ExtractProgress['stage'],
  task: (windowIndex: number) => Promise<T>,
): Promise<T[]> {
  const total = windowCount(grid);
  let done = 0;
  ctx.onProgress?.({ stage, done, total });
  const runs = Array.from({ length: total }, (_, w) =>
    task(w).then((value) => {
      ctx.onProgress?.({ stage, done: ++done, total });
      return value;
    }),
  );
  try {
    return await Promise.all(runs);
  } catch (err) {
    stop.abort();
    // Let the others settle (they reject with ABORTED quickly) so no task outlives the call.
    await Promise.allSettled(runs);
    throw err;
  }
}
