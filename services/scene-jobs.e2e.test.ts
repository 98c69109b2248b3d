import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getJob } from '../store/jobs.ts';
import { createSite, type Site } from '../store/sites.ts';
import { dirReaches } from '../test/support/dir-reaches.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import { createSceneJobs } from './scene-jobs.ts';
import { saveSceneUpload } from './upload-scene.ts';

const SCENE = new URL('../fixtures/scenes/ca-mau-2017.tif', import.meta.url);
/** A process receiving an upload that never ends (it is killed): its argument is the upload folder. */
const KILLED_UPLOAD = `
  import { PassThrough } from 'node:stream';
  import { saveSceneUpload } from ${JSON.stringify(new URL('./upload-scene.ts', import.meta.url).href)};
  const body = new PassThrough();
  body.write(Buffer.from([0x49, 0x49, 0x2a, 0x00]));
  await saveSceneUpload(body, 'killed.tif', { maxBytes: 1e9, dir: process.argv[1] });
`;
const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));

describe('scene jobs: stale jobs and shutdown', () => {
  let db: TestDatabase;
  let site: Site;
  let pool: ExtractPool;
  let uploadDir: string;
  let bytes: Buffer;

  beforeAll(async () => {
    db = await openTestDatabase();
    site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    pool = createExtractPool({ threads: 1 });
    uploadDir = await mkdtemp(join(tmpdir(), 'tidemark-jobs-'));
    bytes = await readFile(SCENE);
  });
  afterAll(async () => {
    await pool?.destroy();
    await db?.dispose();
    await rm(uploadDir, { recursive: true, force: true });
  });

  const save = (name: string, body: Buffer = bytes) =>
    saveSceneUpload(Readable.from([body]), name, { maxBytes: 10_000_000, dir: uploadDir });

  /** An unfinished upload job as a server (maybe killed since) recorded it, heartbeat `heartbeatAgeS` ago. */
  const insertJob = async (job: {
    status: 'queued' | 'running';
    host: string;
    pid: number;
    heartbeatAgeS?: number;
    uploadDir?: string;
  }) => {
    const rows = (await db
      .knex('runs')
      .insert({
        kind: 'upload',
        site_id: site.id,
        status: job.status,
        host: job.host,
        pid: job.pid,
        params: JSON.stringify({
          fileName: 'killed.tif',
          sizeBytes: 1,
          sha256: 'b'.repeat(64),
          runnerId: 'a-runner-of-a-killed-process',
          ...(job.uploadDir === undefined ? {} : { uploadDir: job.uploadDir }),
        }),
        heartbeat_at: db.knex.raw('now() - make_interval(secs => ?)', [job.heartbeatAgeS ?? 0]),
      })
      .returning('id')) as { id: number }[];
    const id = rows[0]!.id;
    await db.knex('run_items').insert({ run_id: id, item_key: `k${id}`, status: 'pending' });
    return id;
  };

  /** The pid of a process that has exited (as after SIGKILL): process.kill(pid, 0) throws ESRCH. */
  const deadPid = async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(child, 'exit');
    return child.pid!;
  };

  /** An upload as saveSceneUpload leaves it when its server is killed mid-job. */
  const orphanUpload = async () => {
    const dir = await mkdtemp(join(uploadDir, 'tidemark-upload-'));
    await writeFile(join(dir, 'killed.tif'), 'partial');
    return dir;
  };

  it('a new runner fails the unfinished jobs whose process stopped sending heartbeats, and only those', async () => {
    const insert = async (status: string, heartbeatAgeS: number) => {
      const rows = (await db
        .knex('runs')
        .insert({
          kind: 'upload',
          site_id: site.id,
          status,
          params: JSON.stringify({ fileName: `${status}.tif`, sizeBytes: 1, sha256: 'a'.repeat(64) }),
          heartbeat_at: db.knex.raw('now() - make_interval(secs => ?)', [heartbeatAgeS]),
        })
        .returning('id')) as { id: number }[];
      await db
        .knex('run_items')
        .insert({ run_id: rows[0]!.id, item_key: `k${rows[0]!.id}`, status: 'pending' });
      return rows[0]!.id;
    };
    const staleRunning = await insert('running', 3600);
    const staleQueued = await insert('queued', 3600);
    const alive = await insert('running', 0);
    const finished = await insert('succeeded', 3600);

    const jobs = createSceneJobs({ db, logger, pool, staleAfterS: 120 });
    await jobs.close();

    for (const id of [staleRunning, staleQueued]) {
      const job = (await getJob(db, id))!;
      expect(job.status).toBe('failed');
      expect(job.error).toMatchObject({
        code: 'ABORTED',
        message: expect.stringMatching(/upload the file again/),
      });
    }
    expect((await getJob(db, alive))!.status).toBe('running');
    expect((await getJob(db, finished))!.status).toBe('succeeded');
    await db.knex('runs').whereIn('id', [staleRunning, staleQueued, alive, finished]).delete();
  });

  it('a server restarted within the stale limit fails at once the jobs of its host whose process is gone, and removes their uploads', async () => {
    const killedDir = await orphanUpload();
    const reusedPidDir = await orphanUpload();
    const killed = await insertJob({
      status: 'running',
      host: hostname(),
      pid: await deadPid(),
      uploadDir: killedDir,
    });
    const killedQueued = await insertJob({ status: 'queued', host: hostname(), pid: await deadPid() });
    // A restarted server (in a container above all) may get the pid of the one that was killed.
    const reusedPid = await insertJob({
      status: 'running',
      host: hostname(),
      pid: process.pid,
      uploadDir: reusedPidDir,
    });
    const aliveHere = await insertJob({ status: 'running', host: hostname(), pid: process.ppid });
    const otherHost = await insertJob({ status: 'running', host: 'another-host', pid: await deadPid() });

    const jobs = createSceneJobs({ db, logger, pool, staleAfterS: 120 });
    await jobs.close();

    for (const id of [killed, killedQueued, reusedPid]) {
      const job = (await getJob(db, id))!;
      expect(job.status).toBe('failed');
      expect(job.error).toEqual({
        code: 'ABORTED',
        message: 'the server running this job stopped before it finished; upload the file again',
      });
    }
    expect((await db.knex('run_items').where({ run_id: killed }).first()).status).toBe('failed');
    expect(await readdir(uploadDir)).toEqual([]);
    // A live process of this host, and a process of another host (which cannot be checked from here).
    expect((await getJob(db, aliveHere))!.status).toBe('running');
    expect((await getJob(db, otherHost))!.status).toBe('running');
    await db.knex('runs').whereIn('id', [killed, killedQueued, reusedPid, aliveHere, otherHost]).delete();
  });

  it('a new runner removes the uploads that a killed server of this host left before their job existed, and only those', async () => {
    const dir = await mkdtemp(join(uploadDir, 'orphans-'));
    try {
      // A server killed mid-upload: its upload directory is there, with no job pointing at it.
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', KILLED_UPLOAD, dir],
        { stdio: 'ignore' },
      );
      await dirReaches(dir, (entries) => entries.length === 1);
      const [killedUpload] = await readdir(dir);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(killedUpload).toMatch(/^tidemark-upload-.+-\d+-\d+-[A-Za-z0-9]{6}$/);
      // An upload this process is still receiving, and directories the runner must not touch.
      const receiving = new PassThrough();
      receiving.write(Buffer.from([0x49, 0x49, 0x2a, 0x00]));
      const live = saveSceneUpload(receiving, 'live.tif', { maxBytes: 10_000_000, dir });
      await dirReaches(dir, (entries) => entries.length === 2);
      const kept = [
        'tidemark-upload-elsewhere.example-12-345-abcdef', // another host sharing the folder
        'tidemark-upload-Ab12Cd', // an older version's name, with no owner in it
        'not-an-upload',
      ];
      for (const name of kept) await mkdir(join(dir, name));

      const jobs = createSceneJobs({ db, logger, pool, uploadDir: dir });
      await jobs.close();

      const left = await readdir(dir);
      expect(left).not.toContain(killedUpload);
      expect(left).toEqual(expect.arrayContaining(kept));
      expect(left).toHaveLength(kept.length + 1);
      receiving.end();
      await (await live).remove();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a running server keeps failing the jobs of other hosts that fall silent, not only at start', async () => {
    // Fresh at start: only a later sweep can find it silent for longer than the limit.
    const silent = await insertJob({ status: 'running', host: 'another-host', pid: 1 });
    const jobs = createSceneJobs({ db, logger, pool, staleAfterS: 1, sweepMs: 50 });
    try {
      await vi.waitFor(async () => expect((await getJob(db, silent))!.status).toBe('failed'), {
        timeout: 10_000,
        interval: 50,
      });
      expect((await getJob(db, silent))!.error?.code).toBe('ABORTED');
    } finally {
      await jobs.close();
      await db.knex('runs').where({ id: silent }).delete();
    }
  });

  it('close() stops running and queued jobs: both end failed (ABORTED), their files removed, nothing stored', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const jobs = createSceneJobs({
      db,
      logger,
      pool,
      beforeRun: async () => {
        started();
        await held;
      },
    });
    const first = await jobs.submitUpload({ site, upload: await save('first.tif'), apiKeyId: null });
    const second = await jobs.submitUpload({
      site,
      upload: await save('second.tif', Buffer.concat([bytes, Buffer.from('different bytes')])),
      apiKeyId: null,
    });
    expect(first.kind).toBe('queued');
    expect(second.kind).toBe('queued');
    const firstId = first.kind === 'queued' ? first.job.id : 0;
    const secondId = second.kind === 'queued' ? second.job.id : 0;
    const statuses: string[] = [];
    jobs.watch(firstId, (e) => {
      if (e.type === 'status') statuses.push(e.job.status);
    });

    await running;
    const closing = jobs.close();
    release();
    await closing;

    for (const id of [firstId, secondId]) {
      const job = (await getJob(db, id))!;
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('ABORTED');
    }
    expect(statuses.at(-1)).toBe('failed');
    expect(await readdir(uploadDir)).toEqual([]);
    expect(Number(((await db.knex('scenes').count({ n: '*' }).first()) as { n: number }).n)).toBe(0);

    const refused = save('late.tif').then((upload) => jobs.submitUpload({ site, upload, apiKeyId: null }));
    await expect(refused).rejects.toMatchObject({ status: 503 });
    expect(await readdir(uploadDir)).toEqual([]);
  });

  it('a scene skipped because the site has one of that date records why, and points at that scene', async () => {
    const jobs = createSceneJobs({ db, logger, pool });
    try {
      const first = await jobs.submitUpload({ site, upload: await save('ca-mau-2017.tif'), apiKeyId: null });
      await jobs.whenIdle();
      const second = await jobs.submitUpload({
        site,
        upload: await save('ca-mau-2017.tif', Buffer.concat([bytes, Buffer.from('other bytes, same date')])),
        apiKeyId: null,
      });
      await jobs.whenIdle();
      if (first.kind !== 'queued' || second.kind !== 'queued') throw new Error('both uploads should queue');
      const ingested = (await getJob(db, first.job.id))!;
      expect(ingested.status).toBe('succeeded');
      expect(ingested.result).toMatchObject({ outcome: 'ingested', duplicateReason: null });
      const skipped = (await getJob(db, second.job.id))!;
      expect(skipped.status).toBe('succeeded');
      expect(skipped.result).toMatchObject({
        outcome: 'duplicate',
        duplicateReason: 'same-date',
        sceneId: ingested.result!.sceneId,
      });
    } finally {
      await jobs.close();
    }
  });
});
