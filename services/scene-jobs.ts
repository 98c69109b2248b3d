import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import { type ErrorData, isTidemarkError, TidemarkError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import { processAlive } from '../common/process-alive.ts';
import type { Database } from '../store/db.ts';
import {
  ABANDONED_JOB_ERROR,
  completeJob,
  createUploadJob,
  failJob,
  failStaleJobs,
  getJob,
  type Job,
  type JobProgress,
  listUnfinishedJobsOfHost,
  markJobRunning,
  touchJobs,
  type UnfinishedJob,
  updateJobProgress,
} from '../store/jobs.ts';
import { findSceneBySha256, type Scene } from '../store/scenes.ts';
import type { Site } from '../store/sites.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import type { ExtractOptions } from './extract-scene.ts';
import { ingestScene } from './ingest-scene.ts';
import { removeOrphanUploads, type SavedUpload, UPLOAD_DIR_PREFIX } from './upload-scene.ts';

/** What a watcher of a job hears: a new status (with the whole job), or progress while it runs. */
export type JobEvent =
  | { type: 'status'; job: Job }
  | { type: 'progress'; jobId: number; progress: JobProgress };

export type UploadOutcome = { kind: 'duplicate'; scene: Scene } | { kind: 'queued'; job: Job };

export interface SubmitUpload {
  site: Site;
  /** Ownership passes to the job runner: the file is removed once the job ends (or at once if a duplicate). */
  upload: SavedUpload;
  apiKeyId: number | null;
  options?: ExtractOptions;
}

export interface SceneJobs {
  /** Stored already (same site + sha256) → that scene; otherwise a queued job that ingests the file. */
  submitUpload(input: SubmitUpload): Promise<UploadOutcome>;
  getJob(id: number): Promise<Job | null>;
  /**
   * Live events of a job this process runs; returns the unsubscribe function, or null when the job is not
   * running here (finished, unknown, or run by another process: read it from the database).
   */
  watch(id: number, listener: (event: JobEvent) => void): (() => void) | null;
  /** Resolves once no job is queued or running. */
  whenIdle(): Promise<void>;
  /** Stops taking uploads, aborts running jobs, fails queued ones, removes their files, frees the pool. */
  close(): Promise<void>;
}

export interface SceneJobsOptions {
  db: Database;
  logger: Logger;
  /** A shared extraction pool; without one, a pool is created on the first job and destroyed by close(). */
  pool?: ExtractPool;
  /** Threads of the pool created here (default: the machine's parallelism). */
  threads?: number;
  /** Jobs run at once (default 1: one scene already uses every worker thread). */
  concurrency?: number;
  /** How often unfinished jobs report that their process is alive (default 30 s). */
  heartbeatMs?: number;
  /** Unfinished jobs of other hosts silent for longer are failed (default 120 s). */
  staleAfterS?: number;
  /**
   * How often, after the sweep at start, abandoned jobs are looked for while the runner is open (default
   * 60 s): jobs of this host whose process is gone, and jobs of other hosts silent for `staleAfterS`.
   */
  sweepMs?: number;
  /**
   * The folder uploads are saved in (default: TIDEMARK_UPLOAD_DIR, else the OS temp dir). Each sweep removes
   * the uploads in it that this host's stopped processes left, with or without a job.
   */
  uploadDir?: string;
  /** Awaited before a job starts; tests use it as a handshake to watch a job from its first event. */
  beforeRun?: (job: Job) => Promise<void>;
}

interface ActiveJob {
  id: number;
  site: Site;
  upload: SavedUpload;
  options: ExtractOptions;
  listeners: Set<(event: JobEvent) => void>;
  controller: AbortController;
}

const PROGRESS_WRITE_MS = 1000;

/** Runners open in this process: a job recorded with this process's pid is alive only if one of them owns it. */
const OPEN_RUNNERS = new Set<string>();

/** Whether the process that recorded an unfinished job of this host still runs it. */
function jobProcessAlive(job: UnfinishedJob): boolean {
  // No pid recorded: nothing to check, so leave the job to the heartbeat rule of its host.
  if (job.pid === null) return true;
  // After a restart (in a container above all) this process may have the pid of the one that died.
  if (job.pid === process.pid) return job.runnerId !== null && OPEN_RUNNERS.has(job.runnerId);
  return processAlive(job.pid);
}

/** Removes an abandoned upload's directory; only ever a directory that saveSceneUpload made. */
async function removeUploadDir(dir: string | null): Promise<void> {
  if (dir === null || !basename(dir).startsWith(UPLOAD_DIR_PREFIX)) return;
  await rm(dir, { recursive: true, force: true });
}

/** Maps extraction stages onto one 0–1 scale for the whole job (decode+scan dominates the time). */
function jobProgress(stage: string, done: number, total: number): JobProgress {
  const part = total > 0 ? Math.min(1, done / total) : 0;
  const [start, span] = stage === 'scan' ? [0.05, 0.75] : stage === 'contour' ? [0.8, 0.15] : [0.95, 0.05];
  return { stage, done, total, fraction: Math.round((start + span * part) * 1000) / 1000 };
}

/**
 * Runs uploaded scenes through ingestScene in the background, one shared extraction pool for all of them,
 * with every job recorded in the database (status, progress, result or error) and live events for watchers.
 */
export function createSceneJobs(opts: SceneJobsOptions): SceneJobs {
  const { db, logger } = opts;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const host = hostname();
  const runnerId = randomUUID();
  const staleAfterS = opts.staleAfterS ?? 120;
  OPEN_RUNNERS.add(runnerId);
  const active = new Map<number, ActiveJob>();
  const queue: ActiveJob[] = [];
  const idleWaiters: (() => void)[] = [];
  let running = 0;
  let closed = false;
  let ownPool: ExtractPool | null = null;
  let heartbeat: NodeJS.Timeout | null = null;

  /**
   * Fails the jobs no process will finish: at once those of this host whose process is gone (their upload
   * directories are on this machine, so they are removed too), and those of other hosts once silent for
   * `staleAfterS` (their files are on the machine that died).
   */
  async function sweepAbandoned(): Promise<void> {
    const dead: number[] = [];
    for (const job of await listUnfinishedJobsOfHost(db.knex, host)) {
      if (jobProcessAlive(job)) continue;
      if (await failJob(db.knex, job.id, ABANDONED_JOB_ERROR)) dead.push(job.id);
      await removeUploadDir(job.uploadDir).catch((err: unknown) =>
        logger.error({ err, jobId: job.id }, 'could not remove an abandoned upload'),
      );
    }
    const stale = await failStaleJobs(db.knex, { staleAfterS, exceptHost: host });
    if (dead.length + stale.length > 0) {
      logger.warn({ dead, stale }, 'failed upload jobs abandoned by a stopped server');
    }
    const orphans = await removeOrphanUploads(opts.uploadDir);
    if (orphans.length > 0) logger.warn({ removed: orphans }, 'removed uploads left by a stopped server');
  }

  const sweepOnce = () =>
    sweepAbandoned().catch((err: unknown) => logger.error({ err }, 'could not sweep abandoned upload jobs'));
  // Sweeps run one after another, so close() can wait for the last one.
  let sweep = sweepOnce();
  const sweepTimer = setInterval(() => {
    sweep = sweep.then(sweepOnce);
  }, opts.sweepMs ?? 60_000);
  sweepTimer.unref();

  function pool(): ExtractPool {
    if (opts.pool) return opts.pool;
    ownPool ??= createExtractPool(opts.threads === undefined ? {} : { threads: opts.threads });
    return ownPool;
  }

  function emit(entry: ActiveJob, event: JobEvent): void {
    for (const listener of entry.listeners) {
      try {
        listener(event);
      } catch (err) {
        logger.error({ err, jobId: entry.id }, 'job event listener failed');
      }
    }
  }

  async function emitStatus(entry: ActiveJob): Promise<void> {
    const job = await getJob(db.knex, entry.id);
    if (job) emit(entry, { type: 'status', job });
  }

  function updateHeartbeat(): void {
    if (active.size > 0 && heartbeat === null) {
      heartbeat = setInterval(() => {
        touchJobs(db.knex, [...active.keys()]).catch((err: unknown) =>
          logger.warn({ err }, 'job heartbeat failed'),
        );
      }, opts.heartbeatMs ?? 30_000);
      heartbeat.unref();
    } else if (active.size === 0 && heartbeat !== null) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  }

  function settleIdle(): void {
    if (running > 0 || queue.length > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  /** What a client may read of a failure: our own errors as they are; anything else only by error id. */
  function publicError(err: unknown, jobId: number): ErrorData {
    if (isTidemarkError(err) && err.status < 500) return { code: err.code, message: err.message };
    const errorId = randomUUID();
    logger.error({ err, errorId, jobId }, 'upload job failed');
    return {
      code: isTidemarkError(err) && err.code === 'ABORTED' ? 'ABORTED' : 'INTERNAL',
      message: `the ingest failed; quote error id ${errorId} when reporting it`,
      details: { errorId },
    };
  }

  async function run(entry: ActiveJob): Promise<void> {
    let lastWrite = 0;
    let lastStage = '';
    let writes: Promise<void> = Promise.resolve();
    let last = jobProgress('queued', 0, 0);
    try {
      const queued = await getJob(db.knex, entry.id);
      if (queued && opts.beforeRun) await opts.beforeRun(queued);
      entry.controller.signal.throwIfAborted();
      await markJobRunning(db.knex, entry.id);
      await emitStatus(entry);
      const outcome = await ingestScene(db, entry.site.slug, entry.upload.path, entry.options, {
        pool: pool(),
        signal: entry.controller.signal,
        onProgress: (p) => {
          last = jobProgress(p.stage, p.done, p.total);
          emit(entry, { type: 'progress', jobId: entry.id, progress: last });
          const now = Date.now();
          if (p.stage !== lastStage || now - lastWrite >= PROGRESS_WRITE_MS || p.done === p.total) {
            lastStage = p.stage;
            lastWrite = now;
            const snapshot = last;
            writes = writes
              .then(() => updateJobProgress(db.knex, entry.id, snapshot))
              .catch((err: unknown) =>
                logger.warn({ err, jobId: entry.id }, 'could not record job progress'),
              );
          }
        },
      });
      await writes;
      if (outcome.status === 'failed') throw outcome.error;
      const done: JobProgress = { stage: 'done', done: 1, total: 1, fraction: 1 };
      emit(entry, { type: 'progress', jobId: entry.id, progress: done });
      await completeJob(db.knex, entry.id, {
        sceneId: outcome.sceneId,
        duplicate: outcome.status === 'duplicate' ? outcome.reason : null,
        progress: done,
      });
    } catch (err) {
      await writes;
      const error =
        entry.controller.signal.aborted && !isTidemarkError(err)
          ? { code: 'ABORTED' as const, message: 'the job was stopped: the server is shutting down' }
          : publicError(err, entry.id);
      await failJob(db.knex, entry.id, error).catch((e: unknown) =>
        logger.error({ err: e, jobId: entry.id }, 'could not record a failed job'),
      );
    } finally {
      await entry.upload
        .remove()
        .catch((err: unknown) => logger.error({ err, jobId: entry.id }, 'could not remove an upload'));
      await emitStatus(entry).catch(() => undefined);
      active.delete(entry.id);
      entry.listeners.clear();
      updateHeartbeat();
    }
  }

  function pump(): void {
    while (!closed && running < concurrency && queue.length > 0) {
      const entry = queue.shift()!;
      running += 1;
      void run(entry).finally(() => {
        running -= 1;
        pump();
        settleIdle();
      });
    }
    settleIdle();
  }

  return {
    async submitUpload(input) {
      const { site, upload } = input;
      let handedOver = false;
      try {
        if (closed) {
          throw new TidemarkError('INTERNAL', 'the server is shutting down; upload again later', {
            status: 503,
          });
        }
        const existing = await findSceneBySha256(db.knex, site.id, upload.sha256);
        if (existing) {
          await upload.remove();
          return { kind: 'duplicate', scene: existing };
        }
        const job = await createUploadJob(db.knex, {
          siteId: site.id,
          fileName: upload.fileName,
          sizeBytes: upload.sizeBytes,
          sha256: upload.sha256,
          apiKeyId: input.apiKeyId,
          host,
          pid: process.pid,
          runnerId,
          uploadDir: dirname(upload.path),
        });
        const entry: ActiveJob = {
          id: job.id,
          site,
          upload,
          options: input.options ?? {},
          listeners: new Set(),
          controller: new AbortController(),
        };
        active.set(job.id, entry);
        queue.push(entry);
        handedOver = true;
        updateHeartbeat();
        pump();
        return { kind: 'queued', job };
      } catch (err) {
        if (!handedOver) await upload.remove();
        throw err;
      }
    },

    getJob: (id) => getJob(db.knex, id),

    watch(id, listener) {
      const entry = active.get(id);
      if (!entry) return null;
      entry.listeners.add(listener);
      return () => entry.listeners.delete(listener);
    },

    whenIdle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweepTimer);
      const stopping = new TidemarkError('ABORTED', 'the job was stopped: the server is shutting down');
      for (const entry of queue.splice(0)) {
        await failJob(db.knex, entry.id, { code: 'ABORTED', message: stopping.message }).catch(
          () => undefined,
        );
        await entry.upload.remove().catch(() => undefined);
        await emitStatus(entry).catch(() => undefined);
        active.delete(entry.id);
      }
      for (const entry of active.values()) entry.controller.abort(stopping);
      settleIdle();
      await new Promise<void>((resolve) => {
        if (running === 0) resolve();
        else idleWaiters.push(resolve);
      });
      updateHeartbeat();
      await sweep;
      OPEN_RUNNERS.delete(runnerId);
      await ownPool?.destroy();
    },
  };
}
