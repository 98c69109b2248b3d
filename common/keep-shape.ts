/**
 * The latest instance of each class that a kernel builds once per window, kept alive for the thread's life.
 *
 * V8 holds the hidden class (map) that a constructor builds field by field only weakly, through the
 * transition from the class's initial map. Between two windows no instance may be alive: a full GC then
 * frees that map, and every function optimised against it is thrown away ("marking dependent code …
 * reason: weak objects" in `--trace-deopt`). The next window rebuilds the map, runs the kernels
 * unoptimised and has them optimised again, mid-loop (on-stack replacement) and often more than once. In a
 * worker that happened whenever a full GC fell between the kernel warm-up and the first contour window:
 * every contour kernel was compiled a second time during the contour pass, on the cores the workers needed.
 * One kept instance per class keeps the map, and so the optimised code, alive.
 */
const latest = new Map<abstract new (...args: never[]) => object, object>();

/** Returns `instance` after keeping it as the latest of its class (the previous one may then be freed). */
export function keepShape<T extends object>(instance: T): T {
  latest.set(instance.constructor as abstract new (...args: never[]) => object, instance);
  return instance;
}
