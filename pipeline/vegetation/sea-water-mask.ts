import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from '../marching-squares.ts';
import { SEA_MIN_SHARE } from '../sea-mask.ts';
import { labelWaterComponents } from '../water-components.ts';

export interface SeaWaterMaskInput {
  width: number;
  height: number;
  /** A water index (MNDWI, say): water above `threshold`, NaN for invalid pixels. */
  waterIndex: Float32Array;
  threshold: number;
}

/**
 * The sea-connected water of a whole scene held in one array: 1 for the pixels of the sea, 0 elsewhere
 * (land, inland ponds, invalid). The same rule as the windowed extractor (`selectSea`): the largest
 * 8-connected water body touching the scene edge or nodata, plus any other edge-touching body at least
 * SEA_MIN_SHARE of its size. Pure: the input is not changed.
 */
export function seaWaterMask(input: SeaWaterMaskInput): Uint8Array {
  const { width, height, waterIndex, threshold } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new RangeError(`a sea mask needs a grid of at least 2×2 pixels, got ${width}×${height}`);
  }
  if (waterIndex.length !== width * height)
    throw new RangeError('waterIndex must hold width × height values');
  if (!Number.isFinite(threshold)) throw new RangeError(`threshold must be finite, got ${threshold}`);
  const classes = new Uint8Array(width * height);
  for (let i = 0; i < classes.length; i++) {
    const v = waterIndex[i]!;
    classes[i] = Number.isNaN(v) ? CLASS_INVALID : v > threshold ? CLASS_WATER : CLASS_LAND;
  }
  const components = labelWaterComponents(
    { width, height, classes },
    { originX: 0, originY: 0, sceneWidth: width, sceneHeight: height },
  );
  let largest = 0;
  for (let label = 1; label <= components.count; label++) {
    if (components.touchesEdge[label] && components.area[label]! > largest) largest = components.area[label]!;
  }
  const sea = new Uint8Array(components.count + 1);
  for (let label = 1; label <= components.count; label++) {
    if (largest > 0 && components.touchesEdge[label] && components.area[label]! >= SEA_MIN_SHARE * largest) {
      sea[label] = 1;
    }
  }
  const mask = new Uint8Array(width * height);
  const labels = components.labels;
  for (let i = 0; i < mask.length; i++) mask[i] = sea[labels[i]!]!;
  return mask;
}
