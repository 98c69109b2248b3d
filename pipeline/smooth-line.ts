/**
 * Binomial smoothing of a polyline: each pass replaces every vertex by ¼·previous + ½·itself + ¼·next.
 * Marching-squares vertices sit about a pixel apart and each carries its own noise; two passes (a kernel
 * of about ±1 vertex) remove much of it while moving a smooth coast by far less than a pixel. Open lines
 * keep their end points (they end on the scene edge or on masked pixels); closed lines wrap around.
 */
export function smoothLine(coords: Float64Array, closed: boolean, passes: number): Float64Array {
  if (!Number.isInteger(passes) || passes < 0)
    throw new RangeError(`passes must be a whole number ≥ 0, got ${passes}`);
  // A closed line repeats its first point at the end; smooth its distinct points cyclically.
  const n = closed ? coords.length / 2 - 1 : coords.length / 2;
  let current = coords.slice(0, 2 * n);
  if (n >= 3) {
    for (let pass = 0; pass < passes; pass++) {
      const next = current.slice();
      for (let k = closed ? 0 : 1; k < (closed ? n : n - 1); k++) {
        const prev = (k - 1 + n) % n;
        const after = (k + 1) % n;
        next[2 * k] = 0.25 * current[2 * prev]! + 0.5 * current[2 * k]! + 0.25 * current[2 * after]!;
        next[2 * k + 1] =
          0.25 * current[2 * prev + 1]! + 0.5 * current[2 * k + 1]! + 0.25 * current[2 * after + 1]!;
      }
      current = next;
    }
  }
  if (!closed) return current;
  const out = new Float64Array(2 * n + 2);
  out.set(current);
  out[2 * n] = current[0]!;
  out[2 * n + 1] = current[1]!;
  return out;
}
