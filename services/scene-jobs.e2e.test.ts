import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob } from '../store/jobs.ts';
import { createSite, type Site } from '../store/sites.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { createExtractPool, type ExtractPool } from '../workers/extract-pool.ts';
import { createSceneJobs } from './scene-jobs.ts';
import { saveSceneUpload } from './upload-scene.ts';

const SCENE = new URL('../fixtures/scenes/ca-mau-2017.tif', import.meta.url);
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
});
