import type { ErrorData } from '../common/errors.ts';
import type { Database } from './db.ts';
import { type Queryable, toQueryable } from './queryable.ts';

/**
 * Background jobs (today: scene uploads to ingest) as rows of `runs` (kind 'upload') with one `run_items`
 * row for the file. Keeping them in the database, with host, pid and a heartbeat, is what lets a later
 * multi-machine queue take them over; in this version the process that received the upload runs it.
 */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';
export type JobKind = 'upload';

export interface JobProgress {
  /** Extraction stage as the ingest service reports it (e.g. "windows"), or "store". */
  stage: string;
  done: number;
  total: number;
  /** 0–1 over the whole job. */
  fraction: number;
}

/** Why an upload was not stored: the same bytes are stored, or another scene of the same date and proxy. */
export type DuplicateReason = 'same-file' | 'same-date';

export interface JobResult {
  sceneId: number;
  /** `duplicate`: nothing new was stored; the job points at the scene already stored (see `duplicateReason`). */
  outcome: 'ingested' | 'duplicate';
  /** Why a duplicate was skipped; null when ingested, or for a duplicate recorded before reasons were kept. */
  duplicateReason: DuplicateReason | null;
  date: string | null;
  shorelineCount: number;
}

export interface Job {
  id: number;
  kind: JobKind;
  status: JobStatus;
  siteId: number | null;
  siteSlug: string | null;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  apiKeyId: number | null;
  progress: JobProgress | null;
  result: JobResult | null;
  error: ErrorData | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewUploadJob {
  siteId: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  apiKeyId: number | null;
  /** Where the job runs (this process), so a restarted server can tell its own dead jobs. */
  host: string;
  pid: number;
  /** The job runner of that process that owns the job: a reused pid does not make a dead job look alive. */
  runnerId: string;
  /** The upload's private temporary directory, removed by whoever fails the job if its process died. */
  uploadDir: string;
}

/** An unfinished job as the process that should run it left it: enough to tell whether it still runs. */
export interface UnfinishedJob {
  id: number;
  pid: number | null;
  runnerId: string | null;
  uploadDir: string | null;
}

/** The error of a job whose process stopped (or died) before finishing it: its uploaded file went with it. */
export const ABANDONED_JOB_ERROR: ErrorData = {
  code: 'ABORTED',
  message: 'the server running this job stopped before it finished; upload the file again',
};

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed']);

export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

interface JobParams {
  fileName?: string;
  sizeBytes?: number;
  sha256?: string;
  runnerId?: string;
  uploadDir?: string;
}

/** run_items.skip_reason of a skipped upload; 'duplicate' is what rows recorded before reasons were kept. */
const SKIP_REASONS: Readonly<Record<string, DuplicateReason | null>> = {
  'duplicate-same-file': 'same-file',
  'duplicate-same-date': 'same-date',
  duplicate: null,
};

interface JobRow {
  id: number;
  kind: JobKind;
  status: JobStatus;
  site_id: number | null;
  site_slug: string | null;
  params: JobParams;
  api_key_id: number | null;
  progress: JobProgress | null;
  error: ErrorData | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  item_status: string | null;
  item_skip_reason: string | null;
  scene_id: number | null;
  scene_date: string | null;
  shoreline_count: number | null;
}

function toJob(row: JobRow): Job {
  const skipped = row.item_skip_reason !== null && Object.hasOwn(SKIP_REASONS, row.item_skip_reason);
  const result: JobResult | null =
    row.status === 'succeeded' && row.scene_id !== null
      ? {
          sceneId: row.scene_id,
          outcome: skipped ? 'duplicate' : 'ingested',
          duplicateReason: skipped ? (SKIP_REASONS[row.item_skip_reason!] ?? null) : null,
          date: row.scene_date,
          shorelineCount: row.shoreline_count ?? 0,
        }
      : null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    siteId: row.site_id,
    siteSlug: row.site_slug,
    fileName: row.params.fileName ?? '',
    sizeBytes: row.params.sizeBytes ?? 0,
    sha256: row.params.sha256 ?? '',
    apiKeyId: row.api_key_id,
    progress: row.progress,
    result,
    error: row.status === 'failed' ? row.error : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Creates a queued upload job and its one item; returns the job as readers see it. */
export async function createUploadJob(db: Queryable, input: NewUploadJob): Promise<Job> {
  const runId = await db.transaction(async (trx) => {
    const rows = (await trx('runs')
      .insert({
        kind: 'upload',
        site_id: input.siteId,
        status: 'queued',
        params: JSON.stringify({
          fileName: input.fileName,
          sizeBytes: input.sizeBytes,
          sha256: input.sha256,
          runnerId: input.runnerId,
          uploadDir: input.uploadDir,
        } satisfies JobParams),
        items_total: 1,
        api_key_id: input.apiKeyId,
        host: input.host,
        pid: input.pid,
        heartbeat_at: trx.fn.now(),
      })
      .returning('id')) as { id: number }[];
    const id = rows[0]!.id;
    await trx('run_items').insert({
      run_id: id,
      item_key: input.sha256,
      source_uri: input.fileName,
      sha256: input.sha256,
      status: 'pending',
    });
    return id;
  });
  return (await getJob(db, runId))!;
}

/** One job, or null when there is none with that id (or it is not a job kind this API serves). */
export async function getJob(db: Queryable | Database, id: number): Promise<Job | null> {
  const q = toQueryable(db);
  const row = (await q('runs as r')
    .leftJoin('sites as s', 's.id', 'r.site_id')
    .leftJoin('run_items as i', 'i.run_id', 'r.id')
    .leftJoin('scenes as sc', 'sc.id', 'i.scene_id')
    .select({
      id: 'r.id',
      kind: 'r.kind',
      status: 'r.status',
      site_id: 'r.site_id',
      site_slug: 's.slug',
      params: 'r.params',
      api_key_id: 'r.api_key_id',
      progress: 'r.progress',
      error: 'r.error',
      created_at: 'r.created_at',
      started_at: 'r.started_at',
      finished_at: 'r.finished_at',
      item_status: 'i.status',
      item_skip_reason: 'i.skip_reason',
      scene_id: 'i.scene_id',
      scene_date: 'sc.acquired_date',
    })
    .select(
      q.raw(
        '(SELECT count(*) FROM shorelines sh WHERE sh.scene_id = i.scene_id)::integer AS shoreline_count',
      ),
    )
    .where({ 'r.id': id, 'r.kind': 'upload' })
    .first()) as JobRow | undefined;
  return row ? toJob(row) : null;
}

/** queued → running (only from queued: a job is started once). Returns false if it was not queued. */
export async function markJobRunning(db: Queryable, id: number): Promise<boolean> {
  const n = await db('runs')
    .where({ id, status: 'queued' })
    .update({ status: 'running', started_at: db.fn.now(), heartbeat_at: db.fn.now() });
  await db('run_items')
    .where({ run_id: id })
    .update({ status: 'running', started_at: db.fn.now(), attempts: db.raw('attempts + 1') });
  return n === 1;
}

/** Records progress of a running job (the caller throttles); doubles as its heartbeat. */
export async function updateJobProgress(db: Queryable, id: number, progress: JobProgress): Promise<void> {
  await db('runs')
    .where({ id, status: 'running' })
    .update({ progress: JSON.stringify(progress), heartbeat_at: db.fn.now() });
}

/** running → succeeded, pointing at the stored scene, or (`duplicate` set) at the one already stored. */
export async function completeJob(
  db: Queryable,
  id: number,
  outcome: { sceneId: number; duplicate: DuplicateReason | null; progress: JobProgress },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('run_items')
      .where({ run_id: id })
      .update({
        status: outcome.duplicate ? 'skipped' : 'succeeded',
        skip_reason: outcome.duplicate ? `duplicate-${outcome.duplicate}` : null,
        scene_id: outcome.sceneId,
        finished_at: trx.fn.now(),
        updated_at: trx.fn.now(),
      });
    await trx('runs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({
        status: 'succeeded',
        progress: JSON.stringify(outcome.progress),
        items_done: outcome.duplicate ? 0 : 1,
        items_skipped: outcome.duplicate ? 1 : 0,
        finished_at: trx.fn.now(),
        heartbeat_at: trx.fn.now(),
      });
  });
}

/**
 * queued/running → failed, with the error as data (code, message, public details). Returns false, changing
 * nothing, when the job had finished already (a sweep may race the job's own end).
 */
export async function failJob(db: Queryable, id: number, error: ErrorData): Promise<boolean> {
  return db.transaction(async (trx) => {
    const n = await trx('runs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({
        status: 'failed',
        error: JSON.stringify(error),
        items_failed: 1,
        finished_at: trx.fn.now(),
        heartbeat_at: trx.fn.now(),
      });
    if (n === 0) return false;
    await trx('run_items')
      .where({ run_id: id })
      .update({
        status: 'failed',
        error: JSON.stringify(error),
        finished_at: trx.fn.now(),
        updated_at: trx.fn.now(),
      });
    return true;
  });
}

/** Marks this process's unfinished jobs as alive (a queued job has no progress to report). */
export async function touchJobs(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db('runs')
    .whereIn('id', ids)
    .whereIn('status', ['queued', 'running'])
    .update({ heartbeat_at: db.fn.now() });
}

/** Unfinished upload jobs recorded as run on `host`, for the caller to check their processes. */
export async function listUnfinishedJobsOfHost(db: Queryable, host: string): Promise<UnfinishedJob[]> {
  const rows = (await db('runs')
    .select('id', 'pid', 'params')
    .where({ kind: 'upload', host })
    .whereIn('status', ['queued', 'running'])
    .orderBy('id')) as { id: number; pid: number | null; params: JobParams }[];
  return rows.map((r) => ({
    id: r.id,
    pid: r.pid,
    runnerId: r.params.runnerId ?? null,
    uploadDir: r.params.uploadDir ?? null,
  }));
}

/**
 * Fails unfinished upload jobs of other hosts (or of none recorded) whose process stopped sending
 * heartbeats: it stopped or died before finishing them, and their uploaded files went with it. Jobs of
 * `exceptHost` are left to that host, which can check its processes directly. Returns the failed job ids.
 */
export async function failStaleJobs(
  db: Queryable,
  opts: { staleAfterS: number; exceptHost: string },
): Promise<number[]> {
  const rows = (await db('runs')
    .select('id')
    .where({ kind: 'upload' })
    .whereIn('status', ['queued', 'running'])
    .where((q) => q.whereNull('host').orWhereNot('host', opts.exceptHost))
    .where('heartbeat_at', '<', db.raw('now() - make_interval(secs => ?)', [opts.staleAfterS]))
    .orderBy('id')) as { id: number }[];
  const failed: number[] = [];
  for (const { id } of rows) {
    if (await failJob(db, id, ABANDONED_JOB_ERROR)) failed.push(id);
  }
  return failed;
}
