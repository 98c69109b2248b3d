import { type ScratchArena, scratchFloat32 } from '../common/scratch-arena.ts';
import type { BandKey } from '../sources/scene-source.ts';

export type WaterIndexName = 'mndwi' | 'ndwi' | 'awei';

export const WATER_INDEX_NAMES: readonly WaterIndexName[] = ['mndwi', 'ndwi', 'awei'];

export interface WaterIndexSpec {
  /** Bands the index is computed from (for the normalized differences: first minus second, over their sum). */
  bands: readonly BandKey[];
  /** Range of the index's histogram (values beyond fall in the end bins). */
  range: readonly [number, number];
  /** Whether the bands must be true reflectance (0–1): a ratio index does not care about a common scale. */
  needsReflectance: boolean;
  /**
   * A band that mixes linearly between water and land and is dark over water. Contouring it between the
   * local water and land levels puts the line where a pixel is half water; a ratio index is biased there.
   */
  contourBand: BandKey;
}

export const WATER_INDEX: Record<WaterIndexName, WaterIndexSpec> = {
  mndwi: { bands: ['green', 'swir16'], contourBand: 'swir16', range: [-1, 1], needsReflectance: false },
  ndwi: { bands: ['green', 'nir'], contourBand: 'nir', range: [-1, 1], needsReflectance: false },
  awei: {
    bands: ['green', 'nir', 'swir16', 'swir22'],
    contourBand: 'swir16',
    range: [-4, 4],
    needsReflectance: true,
  },
};

/**
 * (a − b)/(a + b) per pixel. NaN where either input is NaN or the sum is 0, so invalid pixels stay invalid
 * instead of turning into ±Infinity or a fake 0.
 */
export function normalizedDifference(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array = new Float32Array(a.length),
): Float32Array {
  if (a.length !== b.length) throw new RangeError(`band lengths differ: ${a.length} vs ${b.length}`);
  if (out.length !== a.length) throw new RangeError(`output length ${out.length} differs from ${a.length}`);
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

/**
 * AWEI (no-shadow form, Feyisa et al. 2014) = 4·(green − swir16) − (0.25·nir + 2.75·swir22), on reflectance:
 * each band is multiplied by `reflectanceScale` first (1/10000 for Sentinel-2 digital numbers).
 */
export function awei(
  green: Float32Array,
  nir: Float32Array,
  swir16: Float32Array,
  swir22: Float32Array,
  reflectanceScale: number,
  out: Float32Array = new Float32Array(green.length),
): Float32Array {
  const n = green.length;
  if (nir.length !== n || swir16.length !== n || swir22.length !== n || out.length !== n)
    throw new RangeError('band lengths differ');
  const k = reflectanceScale;
  for (let i = 0; i < n; i++) {
    // NaN in any band propagates.
    out[i] = k * (4 * (green[i]! - swir16[i]!) - (0.25 * nir[i]! + 2.75 * swir22[i]!));
  }
  return out;
}

/**
 * Computes the named index from a record of bands holding at least the index's bands; with an arena, into
 * its `index` slot.
 */
export function waterIndex(
  name: WaterIndexName,
  bands: Partial<Record<BandKey, Float32Array>>,
  reflectanceScale = 1,
  arena?: ScratchArena,
): Float32Array {
  const needed = WATER_INDEX[name].bands;
  if (needed.some((b) => !bands[b])) throw new RangeError(`${name} needs bands ${needed.join(', ')}`);
  const out = scratchFloat32(arena, 'index', bands[needed[0]!]!.length);
  if (name === 'awei')
    return awei(bands.green!, bands.nir!, bands.swir16!, bands.swir22!, reflectanceScale, out);
  return normalizedDifference(bands[needed[0]!]!, bands[needed[1]!]!, out);
}
