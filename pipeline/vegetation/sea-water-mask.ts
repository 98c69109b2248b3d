import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from '../marching-squares.ts';
import { chooseSea } from '../sea-mask.ts';
import { labelWaterComponents } from '../water-components.ts';

export interface SeaWaterMaskInput {
  width: number;
  height: number;
  /** A water index (MNDWI, say): water above `threshold`, NaN for invalid pixels. */
  waterIndex: Float32Array;
  threshold: number;
  /** Ground area of one pixel, m² (open sea must cover SEA_MIN_AREA_M2 of ground). */
  pixelAreaM2: number;
}

/**
 * The sea-connected water of a whole scene held in one array: 1 for the pixels of the sea, 0 elsewhere
 * (land, inland ponds, invalid). The same rule as the windowed extractor (`chooseSea`, as `selectSea` uses
 * it). Pure: the input is not changed.
 */
export function seaWaterMask(input: SeaWaterMaskInput): Uint8Array {
  const { width, height, waterIndex, threshold } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new RangeError(`a sea mask needs a grid of at least 2×2 pixels, got ${width}×${height}`);
  }
  if (waterIndex.length !== width * height)
    throw new RangeError('waterIndex must hold width × height values');
  if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be finite, got ${threshold}`);
  if (!(Number.isFinite(input.pixelAreaM2) && input.pixelAreaM2 > 0)) {
    throw new RangeError(`pixel area must be a number of square metres > 0, got ${input.pixelAreaM2}`);
  }
  const classes = new Uint8Array(width * height);
  for (let i = 0; i < classes.length; i++) {
    const v = waterIndex[i]!;
    classes[i] = Number.isNaN(v) ? CLASS_INVALID : v > threshold ? CLASS_WATER : CLASS_LAND;
  }
  const components = labelWaterComponents(
    { width, height, classes },
    { originX: 0, originY: 0, sceneWidth: width, sceneHeight: height },
  );
  const chosen = chooseSea({
    count: components.count,
    isBody: () => true,
    area: components.area,
    touches: components.touchesEdge,
    sceneAreaPx: width * height,
    pixelAreaM2: input.pixelAreaM2,
    everyOpenBody: false,
  });
  const sea = chosen.sea;
  const mask = new Uint8Array(width * height);
  const labels = components.labels;
  for (let i = 0; i < mask.length; i++) mask[i] = sea[labels[i]!]!;
  return mask;
}
