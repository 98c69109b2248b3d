import { normalizedDifference } from '../water-index.ts';

/** NDVI = (nir − red)/(nir + red) (Rouse et al. 1974); NaN where a band is NaN or both are 0. */
export function ndvi(red: Float32Array, nir: Float32Array): Float32Array {
  return normalizedDifference(nir, red);
}
