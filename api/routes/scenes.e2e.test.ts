import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadTiff } from '../../fixtures/bad/make-bad-tiff.ts';
import { createSceneJobs, type SceneJobs } from '../../services/scene-jobs.ts';
import { createSite } from '../../store/sites.ts';
import { dirReaches } from '../../test/support/dir-reaches.ts';
import {
  bearer,
  expectProblem,
  newKey,
  type RestTestServer,
  startRestTestServer,
  storedCounts,
} from '../../test/support/rest-api-server.ts';
import { multipartHead, openUpload, UPLOAD_BOUNDARY } from '../../test/support/streamed-upload.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { createExtractPool, type ExtractPool } from '../../workers/extract-pool.ts';
import { duplicateUploadSchema, jobSchema, sceneSchema } from '../openapi/schemas.ts';

const SCENE = new URL('../../fixtures/scenes/ca-mau-2016.tif', import.meta.url);
const MAX_BYTES = 1_200_000;
const TIFF_MAGIC = Uint8Array.from([0x49, 0x49, 0x2a, 0x00]);
const BOUNDARY = UPLOAD_BOUNDARY;

interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a Server-Sent Events response event by event, until the server ends the stream. */
async function* sseEvents(res: Response): AsyncGenerator<SseEvent> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf('\n\n');
      const lines = block.split('\n').filter((l) => !l.startsWith(':'));
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (event !== undefined && data !== undefined) yield { event, data: JSON.parse(data) };
    }
  }
}

/** Stands for the fixture scene's bytes in test tables, which are built before beforeAll reads the file. */
const FIXTURE = Symbol('fixture scene');
type PartValue = string | Uint8Array | typeof FIXTURE;
let fixtureBytes: Uint8Array = new Uint8Array(0);

function form(parts: readonly { name: string; value: PartValue; fileName?: string }[]): FormData {
  const fd = new FormData();
  for (const p of parts) {
    if (typeof p.value === 'string') fd.append(p.name, p.value);
    else {
      const bytes = p.value === FIXTURE ? fixtureBytes : p.value;
      fd.append(p.name, new Blob([bytes as Uint8Array<ArrayBuffer>]), p.fileName ?? 'scene.tif');
    }
  }
  return fd;
}

/** A request sent in chunks without Content-Length (so only the streamed count can enforce the limit). */
function chunkedPost(
  url: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number; body: string; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, contentType: res.headers['content-type'] }),
        );
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('scene uploads and jobs over HTTP', () => {
  let db: TestDatabase;
  let server: RestTestServer;
  let jobs: SceneJobs;
  let pool: ExtractPool;
  let uploadDir: string;
  let analyst: string;
  let sceneBytes: Uint8Array;
  /** Set by a test to hold its next job before it starts (the SSE handshake). */
  let gate: Promise<void> | null = null;
  let firstSceneId = 0;

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    analyst = await newKey(db, 'analyst');
    uploadDir = await mkdtemp(join(tmpdir(), 'tidemark-uploads-'));
    sceneBytes = new Uint8Array(await readFile(SCENE));
    fixtureBytes = sceneBytes;
    expect(sceneBytes.length).toBeLessThan(MAX_BYTES);
    pool = createExtractPool({ threads: 1 });
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
    jobs = createSceneJobs({
      db,
      logger,
      pool,
      beforeRun: async () => {
        const held = gate;
        gate = null;
        await held;
      },
    });
    server = await startRestTestServer(db, {
      sceneJobs: jobs,
      uploadMaxBytes: MAX_BYTES,
      uploadDir,
      uploadRate: { burst: 1000, perMinute: 1000 },
      publicReads: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    await jobs?.close();
    await pool?.destroy();
    await db?.dispose();
    await rm(uploadDir, { recursive: true, force: true });
  });

  const upload = (body: FormData | Uint8Array, headers: Record<string, string> = {}, site = 'ca-mau') =>
    fetch(`${server.url}/api/sites/${encodeURIComponent(site)}/scenes`, {
      method: 'POST',
      headers: { ...bearer(analyst), ...headers },
      body: body as BodyInit,
    });

  it('202 with a job; its event stream shows queued → running (with progress) → succeeded; the scene is stored', async () => {
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    const res = await upload(form([{ name: 'file', value: sceneBytes, fileName: 'ca-mau-2016.tif' }]));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { job: unknown };
    const job = jobSchema.parse(accepted.job);
    expect(job.status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/api/jobs/${job.id}`);
    expect(job.links.events).toBe(`/api/jobs/${job.id}/events`);

    const stream = await fetch(`${server.url}${job.links.events}`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: SseEvent[] = [];
    for await (const e of sseEvents(stream)) {
      events.push(e);
      // Handshake: the job may start only once the stream has shown it queued.
      if (events.length === 1) release();
    }
    const statuses = events.filter((e) => e.event === 'status').map((e) => jobSchema.parse(e.data).status);
    expect(statuses).toEqual(['queued', 'running', 'succeeded']);
    const progress = events.filter((e) => e.event === 'progress').map((e) => e.data as { fraction: number });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const fractions = progress.map((p) => p.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(fractions.at(-1)).toBe(1);
    const final = jobSchema.parse(events.at(-1)!.data);
    expect(final.result).toMatchObject({ outcome: 'ingested', duplicateReason: null, date: '2016-03-05' });

    const scenes = (await db.knex('scenes').select('id', 'file_name')) as { id: number; file_name: string }[];
    expect(scenes).toEqual([{ id: final.result!.sceneId, file_name: 'ca-mau-2016.tif' }]);
    firstSceneId = scenes[0]!.id;
    const lines = (await db
      .knex('shorelines')
      .where({ scene_id: firstSceneId })
      .count({ n: '*' })
      .first()) as {
      n: number;
    };
    expect(final.result!.shorelineCount).toBe(Number(lines.n));
    expect(final.result!.shorelineCount).toBeGreaterThan(0);

    const polled = jobSchema.parse(await (await fetch(`${server.url}/api/jobs/${job.id}`)).json());
    expect(polled).toMatchObject({ status: 'succeeded', error: null, progress: { fraction: 1 } });
    const scene = sceneSchema.parse(await (await fetch(`${server.url}${final.result!.links.scene}`)).json());
    expect(scene).toMatchObject({ id: firstSceneId, site: 'ca-mau', fileName: 'ca-mau-2016.tif' });
    expect(await readdir(uploadDir)).toEqual([]);

    // A finished job's stream gives its final status and ends.
    const again: SseEvent[] = [];
    for await (const e of sseEvents(await fetch(`${server.url}${job.links.events}`))) again.push(e);
    expect(again.map((e) => [e.event, (e.data as { status: string }).status])).toEqual([
      ['status', 'succeeded'],
    ]);
  });

  it('the same file again is 200 with the stored scene, and no job', async () => {
    const before = await storedCounts(db);
    const res = await upload(form([{ name: 'file', value: sceneBytes, fileName: 'renamed.tif' }]));
    expect(res.status).toBe(200);
    const body = duplicateUploadSchema.parse(await res.json());
    expect(body.scene.id).toBe(firstSceneId);
    expect(body.scene.fileName).toBe('ca-mau-2016.tif');
    expect(await storedCounts(db)).toEqual(before);
    expect(await readdir(uploadDir)).toEqual([]);
  });

  it('a TIFF that cannot be ingested makes a failed job with the reason, and stores no scene', async () => {
    const before = await storedCounts(db);
    const res = await upload(
      form([{ name: 'file', value: makeBadTiff('no-georeference'), fileName: 'nogeo.tif' }]),
    );
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { links: { events: string } } };
    const events: SseEvent[] = [];
    for await (const e of sseEvents(await fetch(`${server.url}${job.links.events}`))) events.push(e);
    const final = jobSchema.parse(events.at(-1)!.data);
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('NO_GEOREFERENCE');
    expect(final.result).toBeNull();
    const after = await storedCounts(db);
    expect(after.scenes).toBe(before.scenes);
    expect(after.shorelines).toBe(before.shorelines);
    expect(after.maxDataVersion).toBe(before.maxDataVersion);
    expect(await readdir(uploadDir)).toEqual([]);
  });

  describe('rejected uploads change nothing and leave no file behind', () => {
    let before: Record<string, number>;
    beforeAll(async () => {
      before = await storedCounts(db);
    });
    const unchanged = async () => {
      expect(await storedCounts(db)).toEqual(before);
      expect(await readdir(uploadDir)).toEqual([]);
    };

    it('413 when the declared size is over the limit', async () => {
      const big = new Uint8Array(MAX_BYTES + 100_000);
      big.set(TIFF_MAGIC);
      const problem = await expectProblem(await upload(form([{ name: 'file', value: big }])), 413);
      expect(problem.maxBytes).toBe(MAX_BYTES);
      await unchanged();
    });

    it('413 when a chunked body (no Content-Length) streams past the limit', async () => {
      const chunk = Buffer.alloc(256 * 1024);
      const chunks = [multipartHead('big.tif'), Buffer.from(TIFF_MAGIC)];
      for (let sent = 0; sent <= MAX_BYTES; sent += chunk.length) chunks.push(chunk);
      chunks.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
      const res = await chunkedPost(
        `${server.url}/api/sites/ca-mau/scenes`,
        { ...bearer(analyst), 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
        chunks,
      );
      expect(res.status).toBe(413);
      expect(res.contentType).toMatch(/problem\+json/);
      await unchanged();
    });

    it.each([
      ['a PNG renamed .tif', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])],
      ['a text file renamed .tif', makeBadTiff('not-a-tiff')],
      ['an empty file', new Uint8Array(0)],
    ])('415 for %s (the name says .tif, the bytes do not)', async (_name, bytes) => {
      const problem = await expectProblem(
        await upload(form([{ name: 'file', value: bytes, fileName: 'scene.tif' }])),
        415,
      );
      expect(problem.code).toBe('NOT_A_TIFF');
      await unchanged();
    });

    it('415 for a body that is not multipart', async () => {
      await expectProblem(await upload(sceneBytes, { 'Content-Type': 'image/tiff' }), 415);
      await unchanged();
    });

    it('400 for a truncated multipart body (no closing boundary)', async () => {
      const body = Buffer.concat([multipartHead('cut.tif'), Buffer.from(sceneBytes.subarray(0, 50_000))]);
      const problem = await expectProblem(
        await upload(body, { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` }),
        400,
      );
      expect(problem.detail).toMatch(/multipart/);
      await unchanged();
    });

    it('nothing is left behind when the client goes away mid-upload', async () => {
      const started = dirReaches(uploadDir, (entries) => entries.length > 0);
      const req = openUpload(server.url, 'ca-mau', bearer(analyst), 'gone.tif');
      req.write(Buffer.from(sceneBytes.subarray(0, 100_000)));
      await started;
      const cleaned = dirReaches(uploadDir, (entries) => entries.length === 0);
      req.destroy();
      await cleaned;
      await unchanged();
    });

    it.each([
      ['no file part', [{ name: 'date', value: '2020-01-01' }], /no file part/],
      ['a file part with another name', [{ name: 'image', value: TIFF_MAGIC }], /unexpected file part/],
      [
        'two files',
        [
          { name: 'file', value: TIFF_MAGIC },
          { name: 'file', value: TIFF_MAGIC },
        ],
        /exactly one file/,
      ],
      [
        'an unknown field',
        [
          { name: 'file', value: FIXTURE },
          { name: 'bands', value: '1,2,3' },
        ],
        /unknown/,
      ],
      [
        'a malformed date',
        [
          { name: 'file', value: FIXTURE },
          { name: 'date', value: 'yesterday' },
        ],
        /date/,
      ],
      [
        'a date that is not in the calendar',
        [
          { name: 'file', value: FIXTURE },
          { name: 'date', value: '2019-13-45' },
        ],
        /date: is not a calendar date/,
      ],
      [
        'an SQL-ish date',
        [
          { name: 'file', value: FIXTURE },
          { name: 'date', value: "2020-01-01'; DROP TABLE scenes;--" },
        ],
        /date/,
      ],
    ] as const)('400 for %s', async (_name, parts, detail) => {
      const problem = await expectProblem(await upload(form(parts)), 400);
      expect(problem.detail).toMatch(detail);
      await unchanged();
    });

    it('404 for an unknown site, 400 for an SQL-ish slug, 401 without a key', async () => {
      await expectProblem(await upload(form([{ name: 'file', value: sceneBytes }]), {}, 'nowhere'), 404);
      await expectProblem(
        await upload(form([{ name: 'file', value: sceneBytes }]), {}, "ca-mau'; DROP TABLE scenes;--"),
        400,
      );
      const res = await fetch(`${server.url}/api/sites/ca-mau/scenes`, {
        method: 'POST',
        body: form([{ name: 'file', value: sceneBytes }]),
      });
      await expectProblem(res, 401);
      await unchanged();
    });
  });

  it('jobs: 404 for an unknown id, 400 for a malformed one', async () => {
    await expectProblem(await fetch(`${server.url}/api/jobs/999999`), 404);
    await expectProblem(await fetch(`${server.url}/api/jobs/999999/events`), 404);
    for (const id of ['abc', '0', '1.5', "1' OR '1'='1"]) {
      await expectProblem(await fetch(`${server.url}/api/jobs/${encodeURIComponent(id)}`), 400);
    }
    await expectProblem(await fetch(`${server.url}/api/jobs/1?verbose=1`), 400);
  });

  it('lists the scenes of a site', async () => {
    const res = await fetch(`${server.url}/api/sites/ca-mau/scenes`);
    const body = (await res.json()) as { scenes: unknown[] };
    expect(body.scenes.map((s) => sceneSchema.parse(s).id)).toEqual([firstSceneId]);
  });
});
