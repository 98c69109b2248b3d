import { TidemarkError } from '../common/errors.ts';
import type { SceneInfo } from '../sources/scene-source.ts';
import {
  type BlockSpec,
  type BlockStats,
  type ClassSplit,
  type LevelGrid,
  levelGridOfParts,
} from './block-levels.ts';
import { otsuThreshold, splitAt, type ValueHistogram } from './otsu-threshold.ts';
import type { ScanWindowOutput } from './scan-window.ts';
import type { WaterIndexName } from './water-index.ts';

/*
 * What pass 1 of an extraction adds up to on the main thread: the water/land split of the index over the
 * whole scene, and the local water/land levels of the contour band.
 */

/** The water/land split of the index from the merged histograms, with the no-data/no-water/no-land checks. */
export function chooseSplit(
  info: Pick<SceneInfo, 'fileName' | 'width' | 'height'>,
  index: WaterIndexName,
  threshold: 'otsu' | number,
  scans: readonly ScanWindowOutput[],
  range: { min: number; max: number; bins: number },
): { split: ClassSplit; validCount: number } {
  const counts = new Float64Array(range.bins);
  let validCount = 0;
  for (const s of scans) {
    for (let i = 0; i < counts.length; i++) counts[i]! += s.histogramCounts[i]!;
    validCount += s.validCount;
  }
  if (validCount === 0) {
    throw new TidemarkError(
      'NO_VALID_PIXELS',
      `${info.fileName} has no valid pixels: every pixel is nodata, NaN or masked`,
    );
  }
  const histogram: ValueHistogram = { min: range.min, max: range.max, counts };
  const name = index.toUpperCase();
  let split: ClassSplit;
  if (threshold === 'otsu') {
    const otsu = otsuThreshold(histogram);
    if (!otsu) {
      throw new TidemarkError(
        'NO_SHORELINE',
        `${info.fileName} shows no water/land contrast: every valid pixel has the same ${name}`,
      );
    }
    // Otsu always splits; a split that leaves both classes on one side of 0 means one class is missing.
    if (!(otsu.upperMean > 0)) {
      throw new TidemarkError(
        'NO_SHORELINE',
        `${info.fileName} shows no water: no pixel class has a positive ${name} (wettest class mean ${otsu.upperMean.toFixed(3)})`,
      );
    }
    if (!(otsu.lowerMean < 0)) {
      throw new TidemarkError(
        'NO_SHORELINE',
        `${info.fileName} shows no land: every pixel class has a positive ${name} (driest class mean ${otsu.lowerMean.toFixed(3)})`,
      );
    }
    split = { threshold: otsu.threshold, waterMean: otsu.upperMean, landMean: otsu.lowerMean };
  } else {
    const s = splitAt(histogram, threshold);
    if (s.upperCount === 0)
      throw new TidemarkError(
        'NO_SHORELINE',
        `${info.fileName} shows no water: no pixel has ${name} above ${threshold}`,
      );
    if (s.lowerCount === 0)
      throw new TidemarkError(
        'NO_SHORELINE',
        `${info.fileName} shows no land: every pixel has ${name} above ${threshold}`,
      );
    split = { threshold, waterMean: s.upperMean, landMean: s.lowerMean };
  }
  return { split, validCount };
}

export function buildLevels(
  info: Pick<SceneInfo, 'fileName' | 'width' | 'height'>,
  spec: BlockSpec,
  scans: readonly ScanWindowOutput[],
  split: ClassSplit,
): LevelGrid | null {
  const parts = scans.map((s) => s.blockStats).filter((s): s is BlockStats => s !== null);
  if (parts.length === 0) return null;
  const nbx = Math.ceil(info.width / spec.blockSize);
  const nby = Math.ceil(info.height / spec.blockSize);
  return levelGridOfParts(parts, nbx, nby, spec, split);
}
