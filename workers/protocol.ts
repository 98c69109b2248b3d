/**
 * The whole worker protocol: every task name with its input and output types. Tasks are plain data; the
 * typed arrays a side no longer needs are transferred (moved), not copied: results, and each task's halo
 * ring and level slice. (A uniform window's frame is copied: its neighbours' rings still read it.) The pixels
 * pass 1 keeps for pass 2 go to a SharedArrayBuffer all threads share, so they are neither copied nor moved.
 * One window per task.
 */
import type { ErrorData } from '../common/errors.ts';
import type { BlockSpec, ClassSplit, LevelGrid } from '../pipeline/block-levels.ts';
import type { ContourWindowOutput } from '../pipeline/contour-window.ts';
import type { ScanWindowOutput } from '../pipeline/scan-window.ts';
import type { WaterIndexName } from '../pipeline/water-index.ts';
import type { FrameStrips, RingStrips } from '../pipeline/window-grid.ts';
import type { BandKey, PixelWindow } from '../sources/scene-source.ts';
import type { SourceSnapshot } from '../sources/source-snapshot.ts';

/**
 * The scene of a task: the source the main thread opened, as a snapshot a worker restores without opening
 * and parsing the scene again (source-snapshot.ts), under an id unique to the extraction.
 */
export interface SceneOpenSpec {
  id: string;
  source: SourceSnapshot;
}

/** Pass 1: read a window, compute the index, its histogram, block statistics and the border frame. */
export interface ScanTask {
  task: 'scan';
  scene: SceneOpenSpec;
  window: PixelWindow;
  index: WaterIndexName;
  /** Band contoured between local levels, or null to contour the index itself. */
  contourBand: BandKey | null;
  histogram: { min: number; max: number; bins: number };
  blocks: BlockSpec;
  halo: number;
  /** Factor from the source's values to reflectance (used by AWEI). */
  reflectanceScale: number;
  /** Where to keep the window's index and contour band for pass 2 (which then reads nothing), or null. */
  keep: PixelSlot | null;
}

/**
 * A window's index and then, when there is one, its contour band: width × height float32 each (row-major,
 * NaN = invalid), as pass 2 reads them, at `byteOffset` of a buffer shared by every thread.
 */
export interface PixelSlot {
  buffer: SharedArrayBuffer;
  byteOffset: number;
  hasBand: boolean;
}

export type ScanResult = ScanWindowOutput;

/** Pass 2: read the window again, classify with the global split, label water, contour every boundary. */
export interface ContourTask {
  task: 'contour';
  scene: SceneOpenSpec;
  window: PixelWindow;
  index: WaterIndexName;
  contourBand: BandKey | null;
  sceneWidth: number;
  sceneHeight: number;
  indexRing: RingStrips;
  bandRing: RingStrips | null;
  split: ClassSplit;
  levels: LevelGrid | null;
  /** Factor from the source's values to reflectance (used by AWEI). */
  reflectanceScale: number;
  /**
   * Set when pass 1 found the window uniformly clear water or land (and fully valid): the worker then
   * rebuilds it from its own frame instead of decoding it again, with the same result.
   */
  uniform: { fill: number; indexFrame: FrameStrips; bandFrame: FrameStrips | null } | null;
  /** Where pass 1 kept the window's pixels, or null to read them again. */
  kept: PixelSlot | null;
}

export type ContourResult = ContourWindowOutput;

export interface TaskMap {
  scan: { input: ScanTask; output: ScanResult };
  contour: { input: ContourTask; output: ContourResult };
}

export type TaskName = keyof TaskMap;
export type AnyTask = TaskMap[TaskName]['input'];

/** Workers never throw across the boundary: a failed task comes back as data. */
export type WorkerReply<T> = { ok: true; value: T } | { ok: false; error: ErrorData };
