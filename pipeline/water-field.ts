import { type ClassSplit, clearLimits, type LevelGrid, sampleLevels } from './block-levels.ts';
import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from './marching-squares.ts';

/** Smallest land − water contrast of the contour band for its levels to be trusted at a pixel. */
const MIN_LEVEL_CONTRAST = 1e-3;
/** A water pixel's field is at least this, so it stays strictly on the water side of the contour. */
const WATER_EPSILON = 1e-6;

export interface WaterFieldInput {
  width: number;
  height: number;
  /** Scene pixel coordinates of pixel (0, 0) of the arrays. */
  originX: number;
  originY: number;
  /** Water index per pixel (NaN = invalid). */
  index: Float32Array;
  /** Contour band (dark over water) per pixel, or null to contour the index itself. */
  band: Float32Array | null;
  split: ClassSplit;
  /** Local levels of the contour band, or null to contour the index itself. */
  levels: LevelGrid | null;
}

export interface WaterField {
  classes: Uint8Array;
  /** Estimated water fraction of the pixel minus ½: > 0 on water pixels, ≤ 0 on land pixels. */
  field: Float32Array;
}

/**
 * Classifies pixels and builds the field whose 0-level is the shoreline.
 *
 * Clear pixels (index beyond half-way to a class mean) are classified by the index threshold: robust.
 * Ambiguous pixels, mostly mixed pixels on the shore, are classified by their water fraction estimated from
 * the contour band between the local water and land levels; that fraction, linear in the water area of the
 * pixel, is also what is interpolated, so the line passes where a pixel is half water. Without levels the
 * index is mapped piecewise-linearly onto a fraction instead (0.5 at the threshold).
 *
 * The field is then clamped to agree with the class, so the contour's topology is exactly the classes'.
 */
export function waterField(input: WaterFieldInput): WaterField {
  const { width, height, originX, originY, index, band, split, levels } = input;
  const n = width * height;
  if (index.length !== n || (band && band.length !== n))
    throw new RangeError('arrays must hold width × height values');
  const { threshold, waterMean, landMean } = split;
  const { waterFrom, landTo } = clearLimits(split);
  const upperSpan = waterMean - threshold;
  const lowerSpan = threshold - landMean;
  if (!(upperSpan > 0 && lowerSpan > 0))
    throw new RangeError('class means must lie either side of the threshold');
  const classes = new Uint8Array(n);
  const field = new Float32Array(n);
  const level = new Float64Array(2);
  const useLevels = band !== null && levels !== null;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const v = index[i]!;
      const b = band ? band[i]! : 0;
      if (Number.isNaN(v) || Number.isNaN(b)) {
        classes[i] = CLASS_INVALID;
        field[i] = 0;
        continue;
      }
      let fraction =
        v >= threshold
          ? 0.5 + (0.5 * (v - threshold)) / upperSpan
          : 0.5 - (0.5 * (threshold - v)) / lowerSpan;
      let water = v > threshold;
      if (useLevels) {
        sampleLevels(levels, originX + x, originY + y, level);
        const contrast = level[1]! - level[0]!;
        if (contrast > MIN_LEVEL_CONTRAST) {
          fraction = (level[1]! - b) / contrast;
          if (v > landTo && v < waterFrom) water = fraction > 0.5;
        }
      }
      let f = fraction - 0.5;
      if (water) {
        if (f < WATER_EPSILON) f = WATER_EPSILON;
      } else if (f > 0) {
        f = 0;
      }
      classes[i] = water ? CLASS_WATER : CLASS_LAND;
      field[i] = f;
    }
  }
  return { classes, field };
}
