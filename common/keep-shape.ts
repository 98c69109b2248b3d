/**
 * Keeps alive what the kernels were optimised against, so that a full GC does not throw their code away.
 *
 * V8 holds a hidden class (map) only weakly once no object has it, and optimised code that relied on a map
 * that dies is thrown away ("marking dependent code … reason: weak objects" in `--trace-deopt`), to be
 * optimised again, mid-loop (on-stack replacement), on the next window. Two kinds of maps died between
 * windows in a worker:
 * - those of the kernels' own classes, built once per window: `keepShape` keeps one tiny instance of each,
 *   built as its module loads on values of the most general representation each field will hold
 *   (fractional numbers, null where a field may be null), so that later instances share its map;
 * - those of the tasks' objects, which arrive as structured clones: during all of pass 1 no contour task,
 *   and so no level grid, is alive. `keepLatest` keeps the latest of each kind.
 * Whenever a full GC fell between the warm-up and a pass, every kernel of that pass was compiled again, on
 * the cores the workers needed (docs/extraction-performance.md).
 */
const kept: object[] = [];

/** Keeps `instance` (small: it is never freed) alive for the thread's life, and returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}

const latest = new Map<string, object>();

/** Keeps `value` alive as the latest of its `kind` (the previous one may then be freed), and returns it. */
export function keepLatest<T extends object>(kind: string, value: T): T {
  latest.set(kind, value);
  return value;
}
