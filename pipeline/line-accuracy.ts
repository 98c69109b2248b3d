/**
 * Distances between two sets of lines in a metric plane, for accuracy tests and benchmarks: how far the
 * true shoreline lies from ours (RMSE, p95, completeness) and how much of ours is far from the truth
 * (false share). Segments are bucketed in a uniform grid, so long lines stay cheap.
 */

import { type Line, SegmentIndex } from './segment-index.ts';

export type { Line };

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Points every `stepM` along the lines (plus every vertex), inside `box` when given. */
export function samplePoints(lines: readonly Line[], stepM: number, box?: Box): [number, number][] {
  const out: [number, number][] = [];
  const inside = (x: number, y: number) =>
    !box || (x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY);
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [ax, ay] = line[i - 1]!;
      const [bx, by] = line[i]!;
      const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / stepM));
      for (let k = i === 1 ? 0 : 1; k <= n; k++) {
        const x = ax + ((bx - ax) * k) / n;
        const y = ay + ((by - ay) * k) / n;
        if (inside(x, y)) out.push([x, y]);
      }
    }
  }
  return out;
}

export interface LineAccuracy {
  /** Root mean square distance from the truth to our lines, over truth samples within `farM` of ours. */
  rmseM: number;
  p95M: number;
  /** Share of truth samples within `nearM` of our lines. */
  completeness: number;
  /** Share of our samples farther than `farM` from the truth. */
  falseShare: number;
  truthSamples: number;
  ourSamples: number;
}

/**
 * Accuracy of `ours` against `truth` (both in the same metric CRS). Both are sampled every `stepM`;
 * `box` limits the truth to where a line can be extracted at all (inside the outer pixel centres).
 */
export function lineAccuracy(
  truth: readonly Line[],
  ours: readonly Line[],
  options: { stepM: number; nearM: number; farM: number; box?: Box },
): LineAccuracy {
  const { stepM, nearM, farM, box } = options;
  const oursIndex = new SegmentIndex(ours, Math.max(farM, stepM) * 2);
  const truthIndex = new SegmentIndex(truth, Math.max(farM, stepM) * 2);
  const truthPoints = samplePoints(truth, stepM, box);
  const ourPoints = samplePoints(ours, stepM);
  const distances = truthPoints.map(([x, y]) => oursIndex.distance(x, y, 10 * farM));
  const matched = distances.filter((d) => d <= farM);
  const sorted = [...matched].sort((a, b) => a - b);
  const rmseM = matched.length
    ? Math.sqrt(matched.reduce((s, d) => s + d * d, 0) / matched.length)
    : Number.NaN;
  const p95M = sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]!
    : Number.NaN;
  const completeness = truthPoints.length
    ? distances.filter((d) => d <= nearM).length / truthPoints.length
    : Number.NaN;
  const falseCount = ourPoints.filter(([x, y]) => truthIndex.distance(x, y, farM) > farM).length;
  return {
    rmseM,
    p95M,
    completeness,
    falseShare: ourPoints.length ? falseCount / ourPoints.length : Number.NaN,
    truthSamples: truthPoints.length,
    ourSamples: ourPoints.length,
  };
}
