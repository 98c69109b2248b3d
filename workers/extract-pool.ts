import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { fromErrorData, TidemarkError } from '../common/errors.ts';
import type { TaskMap, TaskName, WorkerReply } from './protocol.ts';
import { workerEntry } from './worker-bundle.ts';

export interface ExtractPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
}

export interface ExtractPool {
  readonly threads: number;
  /**
   * Runs one task on a worker. `transfer` lists buffers of the task to move instead of copy. Rejects with
   * the worker's TidemarkError, with ABORTED when `signal` fires (the worker running it is terminated),
   * or with INTERNAL if the worker died.
   */
  run<K extends TaskName>(
    task: TaskMap[K]['input'] & { task: K },
    options?: { signal?: AbortSignal; transfer?: ArrayBuffer[] },
  ): Promise<TaskMap[K]['output']>;
  /** Terminates every worker thread. */
  destroy(): Promise<void>;
}

const WORKER_SOURCE = new URL('./extract-worker.ts', import.meta.url);

/** A Piscina pool of extraction workers (bundled once to plain ESM, or run through tsx; see worker-bundle.ts). */
export function createExtractPool(options: ExtractPoolOptions = {}): ExtractPool {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const entry = workerEntry(WORKER_SOURCE);
  const piscina = new Piscina({
    filename: entry.filename,
    execArgv: entry.execArgv,
    minThreads: threads,
    maxThreads: threads,
    // Idle workers go away (a server keeps the pool); the next scene starts them again.
    idleTimeout: 30_000,
    // The pool's wait/run-time histograms cost main-thread time per task and nothing reads them.
    recordTiming: false,
    // geotiff.js imports `web-worker`, which, loaded off the main thread, destructures `workerData` and
    // takes over the thread as a web-worker shim unless that data has no `mod` (web-worker
    // src/node/index.js, workerThread()). An empty object keeps it a library.
    workerData: {},
  });
  // A worker that dies outright (not a task error) surfaces through the failing task's rejection; the
  // pool-level event must not crash the process as an unhandled 'error'.
  piscina.on('error', () => undefined);
  let destroyed = false;
  return {
    threads,
    async run(task, runOptions = {}) {
      if (destroyed) throw new TidemarkError('INTERNAL', 'the extraction pool has been destroyed');
      const { signal, transfer } = runOptions;
      signal?.throwIfAborted();
      let reply: WorkerReply<unknown>;
      try {
        reply = await piscina.run(task, {
          ...(signal ? { signal } : {}),
          ...(transfer && transfer.length > 0 ? { transferList: transfer } : {}),
        });
      } catch (err) {
        if (signal?.aborted) {
          throw signal.reason instanceof TidemarkError
            ? signal.reason
            : new TidemarkError('ABORTED', 'extraction aborted');
        }
        throw new TidemarkError('INTERNAL', `extraction worker failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (!reply.ok) throw fromErrorData(reply.error);
      return reply.value as never;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await piscina.destroy();
    },
  };
}
