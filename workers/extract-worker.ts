/**
 * Piscina worker for extraction windows. Thin: it runs each task through window-tasks.ts (which opens the
 * scene through sources/ and calls pipeline/) and returns plain data with the typed-array buffers moved.
 * Every failure returns as data (code + message), so a bad tile fails the scene with a clear error and
 * never kills the pool.
 */
import { Piscina } from 'piscina';
import { toErrorData } from '../common/errors.ts';
import { ScratchArena } from '../common/scratch-arena.ts';
import { warmUpKernels } from './kernel-warm-up.ts';
import type { AnyTask, ContourResult, ScanResult, WorkerReply } from './protocol.ts';
import { windowTasks } from './window-tasks.ts';

/**
 * This thread's window buffers, reused by every task (a worker runs one task at a time). Nothing a task
 * returns lives in it: results are moved to the main thread.
 */
const arena = new ScratchArena();
const tasks = windowTasks(arena);

/** Every ArrayBuffer reachable in a result, to transfer rather than copy. */
function buffersOf(value: unknown, out: Set<ArrayBuffer> = new Set()): Set<ArrayBuffer> {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) buffersOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) buffersOf(v, out);
  }
  return out;
}

function moved<T>(reply: WorkerReply<T>): WorkerReply<T> {
  const transferable = {
    get [Piscina.transferableSymbol]() {
      return [...buffersOf(reply)];
    },
    get [Piscina.valueSymbol]() {
      return reply;
    },
  };
  return Piscina.move(transferable as never) as unknown as WorkerReply<T>;
}

/**
 * Run as the worker loads (it never waits on a timer, kernel-warm-up.ts), so the kernels are compiled
 * while the main thread still opens the scene; the first task waits for it. Not a top-level await: a
 * worker run through tsx is not an ES module. It only saves time, so a failure in it must not fail real
 * tasks: those would then show any real error.
 */
const warmedUp = warmUpKernels(tasks).catch(() => undefined);

export default async function run(task: AnyTask): Promise<WorkerReply<ScanResult | ContourResult>> {
  await warmedUp;
  try {
    switch (task.task) {
      case 'scan':
        return moved<ScanResult>({ ok: true, value: await tasks.scan(task) });
      case 'contour':
        return moved<ContourResult>({ ok: true, value: await tasks.contour(task) });
    }
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}
