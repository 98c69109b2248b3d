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
  let current = new Float64Array(closed ? 2 * n + 2 : 2 * n);
  current.set(coords.subarray(0, 2 * n));
  if (n >= 3 && passes > 0) {
    // Two buffers in turn; an open line's end points, never rewritten, are in both.
    let next = current.slice();
    const first = closed ? 0 : 1;
    const last = closed ? n - 1 : n - 2;
    for (let pass = 0; pass < passes; pass++) {
      for (let k = first; k <= last; k++) {
        const prev = k === 0 ? n - 1 : k - 1;
        const after = k === n - 1 ? 0 : k + 1;
        next[2 * k] = 0.25 * current[2 * prev]! + 0.5 * current[2 * k]! + 0.25 * current[2 * after]!;
        next[2 * k + 1] =
          0.25 * current[2 * prev + 1]! + 0.5 * current[2 * k + 1]! + 0.25 * current[2 * after + 1]!;
      }
      [current, next] = [next, current];
    }
  }
  if (closed) {
    current[2 * n] = current[0]!;
    current[2 * n + 1] = current[1]!;
  }
  return current;
}
