import type { BandKey } from '../sources/scene-source.ts';

export type WaterIndexName = 'mndwi' | 'ndwi';

export const WATER_INDEX_NAMES: readonly WaterIndexName[] = ['mndwi', 'ndwi'];

export interface WaterIndexSpec {
  /** Bands the index is computed from (first minus second, over their sum). */
  bands: readonly [BandKey, BandKey];
  /**
   * A band that mixes linearly between water and land and is dark over water. Contouring it between the
   * local water and land levels puts the line where a pixel is half water; a ratio index is biased there.
   */
  contourBand: BandKey;
}

export const WATER_INDEX: Record<WaterIndexName, WaterIndexSpec> = {
  mndwi: { bands: ['green', 'swir16'], contourBand: 'swir16' },
  ndwi: { bands: ['green', 'nir'], contourBand: 'nir' },
};

/**
 * (a − b)/(a + b) per pixel. NaN where either input is NaN or the sum is 0, so invalid pixels stay invalid
 * instead of turning into ±Infinity or a fake 0.
 */
export function normalizedDifference(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length !== b.length) throw new RangeError(`band lengths differ: ${a.length} vs ${b.length}`);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const sum = x + y;
    // NaN compares false, so NaN inputs fall through to NaN.
    out[i] = sum !== 0 ? (x - y) / sum : Number.NaN;
  }
  return out;
}

/** MNDWI = (green − swir16)/(green + swir16) (Xu 2006). */
export function mndwi(green: Float32Array, swir16: Float32Array): Float32Array {
  return normalizedDifference(green, swir16);
}

/** NDWI = (green − nir)/(green + nir) (McFeeters 1996). */
export function ndwi(green: Float32Array, nir: Float32Array): Float32Array {
  return normalizedDifference(green, nir);
}

/** Computes the named index from a record of bands holding at least the index's bands. */
export function waterIndex(
  name: WaterIndexName,
  bands: Partial<Record<BandKey, Float32Array>>,
): Float32Array {
  const [first, second] = WATER_INDEX[name].bands;
  const a = bands[first];
  const b = bands[second];
  if (!a || !b) throw new RangeError(`${name} needs bands ${first} and ${second}`);
  return normalizedDifference(a, b);
}
