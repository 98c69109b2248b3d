import { PassThrough } from 'node:stream';
import type { Router, RouterContext } from '@koa/router';
import { TidemarkError } from '../../common/errors.ts';
import type { JobEvent, SceneJobs } from '../../services/scene-jobs.ts';
import { isTerminalJobStatus, type Job } from '../../store/jobs.ts';
import { emptyQuerySchema, idParamSchema } from '../openapi/schemas.ts';
import { validate } from '../validate.ts';

export interface JobRouteDeps {
  jobs: SceneJobs;
  /** Comment lines that keep an idle event stream open through proxies (default 15 s). */
  keepAliveMs?: number;
  /** How often a job run by another process is re-read for its event stream (default 1 s). */
  pollMs?: number;
}

/** How long an EventSource waits before reconnecting after the server ends a stream at shutdown. */
const SHUTDOWN_RECONNECT_MS = 5000;

export function jobLinks(id: number): Record<string, string> {
  return { self: `/api/jobs/${id}`, events: `/api/jobs/${id}/events` };
}

export function jobJson(job: Job) {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    site: job.siteSlug,
    fileName: job.fileName,
    sizeBytes: job.sizeBytes,
    sha256: job.sha256,
    progress: job.progress,
    result:
      job.result === null
        ? null
        : {
            outcome: job.result.outcome,
            duplicateReason: job.result.duplicateReason,
            sceneId: job.result.sceneId,
            date: job.result.date,
            shorelineCount: job.result.shorelineCount,
            links: { scene: `/api/scenes/${job.result.sceneId}` },
          },
    error: job.error === null ? null : { code: job.error.code, message: job.error.message },
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    links: jobLinks(job.id),
  };
}

async function jobFromPath(jobs: SceneJobs, ctx: RouterContext): Promise<Job> {
  const id = validate(idParamSchema, ctx.params.id, 'id');
  const job = await jobs.getJob(id);
  if (job === null) throw new TidemarkError('NOT_FOUND', `no job with id ${id}`);
  return job;
}

/**
 * `GET /api/jobs/{id}` (status, progress, result or error) and `GET /api/jobs/{id}/events`, a Server-Sent
 * Events stream: a `status` event with the whole job first and on every change, `progress` events while it
 * runs, and the stream ends after the status that finishes the job. When the server shuts down first, a
 * `shutdown` event (with a `retry` hint, so an EventSource reconnects, e.g. to another instance) ends it.
 */
export function registerJobRoutes(router: Router, deps: JobRouteDeps): void {
  const { jobs } = deps;

  router.get('/api/jobs/:id', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const job = await jobFromPath(jobs, ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = jobJson(job);
  });

  router.get('/api/jobs/:id/events', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const first = await jobFromPath(jobs, ctx);
    const id = first.id;

    const stream = new PassThrough();
    let seq = 0;
    let ended = false;
    let lastStatus = '';
    let lastProgress = '';
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe: (() => void) | null = null;

    const send = (event: string, data: unknown) => {
      if (ended) return;
      seq += 1;
      stream.write(`id: ${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const onShutdown = () => {
      if (ended) return;
      stream.write(
        `retry: ${SHUTDOWN_RECONNECT_MS}\nevent: shutdown\ndata: ${JSON.stringify({ message: 'the server is shutting down' })}\n\n`,
      );
      end();
    };
    const end = () => {
      if (ended) return;
      ended = true;
      ctx.endingStreams?.removeEventListener('abort', onShutdown);
      unsubscribe?.();
      for (const t of timers) clearInterval(t);
      stream.end();
    };
    const onStatus = (job: Job) => {
      const key = `${job.status}`;
      if (key !== lastStatus || isTerminalJobStatus(job.status)) {
        lastStatus = key;
        send('status', jobJson(job));
      }
      if (isTerminalJobStatus(job.status)) end();
    };
    const onEvent = (event: JobEvent) => {
      if (event.type === 'status') onStatus(event.job);
      else {
        lastProgress = JSON.stringify(event.progress);
        send('progress', event.progress);
      }
    };

    // Subscribe before re-reading, so nothing between the read and the subscription is missed.
    const buffered: JobEvent[] = [];
    let live = false;
    unsubscribe = jobs.watch(id, (event) => (live ? onEvent(event) : buffered.push(event)));
    const snapshot = (await jobs.getJob(id)) ?? first;

    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    // The response's close (not the request's) marks the client going away or the stream ending.
    ctx.res.on('close', end);
    ctx.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    ctx.status = 200;
    ctx.body = stream;

    send('status', jobJson(snapshot));
    lastStatus = snapshot.status;
    if (isTerminalJobStatus(snapshot.status)) {
      end();
      return;
    }
    live = true;
    for (const event of buffered.splice(0)) onEvent(event);
    if (ended) return;
    // server.close() waits for every response, so a stream left open would hold shutdown forever.
    if (ctx.endingStreams?.aborted) {
      onShutdown();
      return;
    }
    ctx.endingStreams?.addEventListener('abort', onShutdown, { once: true });
    const keepAlive = setInterval(() => {
      if (!ended) stream.write(': keep-alive\n\n');
    }, deps.keepAliveMs ?? 15_000);
    timers.push(keepAlive);
    if (unsubscribe === null) {
      // Not run by this process (another server took it): follow it in the database.
      const poll = setInterval(() => {
        jobs
          .getJob(id)
          .then((job) => {
            if (job === null || ended) return;
            const progress = JSON.stringify(job.progress);
            if (job.progress !== null && progress !== lastProgress) {
              lastProgress = progress;
              send('progress', job.progress);
            }
            onStatus(job);
          })
          .catch(() => end());
      }, deps.pollMs ?? 1000);
      timers.push(poll);
    }
  });
}
