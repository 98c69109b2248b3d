import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadJob } from '../store/jobs.ts';
import { createSite, type Site } from '../store/sites.ts';
import { dirReaches } from '../test/support/dir-reaches.ts';
import { bearer, newKey } from '../test/support/rest-api-server.ts';
import { openUpload } from '../test/support/streamed-upload.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { type RunningServer, startServer } from './server.ts';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A logger whose lines the test can read back. */
function capturingLogger() {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l !== '') lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

/** Reads a response to its end (or until the server cuts it), as text. */
async function readAll(res: IncomingMessage): Promise<{ text: string; aborted: boolean }> {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  const aborted = await new Promise<boolean>((resolve) => {
    res.on('end', () => resolve(false));
    res.on('error', () => resolve(true));
    res.on('aborted', () => resolve(true));
  });
  return { text, aborted };
}

describe('server shutdown over HTTP', () => {
  let db: TestDatabase;
  let site: Site;
  let analyst: string;
  let uploadDir: string;
  let viewerDir: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    analyst = await newKey(db, 'analyst');
    uploadDir = await mkdtemp(join(tmpdir(), 'tidemark-uploads-'));
    viewerDir = await mkdtemp(join(tmpdir(), 'tidemark-viewer-'));
  });
  afterAll(async () => {
    await db?.dispose();
    await rm(uploadDir, { recursive: true, force: true });
    await rm(viewerDir, { recursive: true, force: true });
  });

  const start = (logger: pino.Logger, shutdownTimeoutMs?: number): Promise<RunningServer> =>
    startServer({
      db,
      port: 0,
      host: '127.0.0.1',
      logger,
      viewerDir,
      buildViewer: false,
      rest: { publicReads: true, uploadDir, uploadRate: { burst: 100, perMinute: 100 } },
      ...(shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs }),
    });

  it('closes while a client follows the events of a job another process runs, ending the stream with a shutdown event', async () => {
    const { logger } = capturingLogger();
    const server = await start(logger);
    // A queued job of another (live-looking) process: this server can only follow it in the database.
    const job = await createUploadJob(db.knex, {
      siteId: site.id,
      fileName: 'elsewhere.tif',
      sizeBytes: 1,
      sha256: 'a'.repeat(64),
      apiKeyId: null,
      host: hostname(),
      pid: process.pid,
      runnerId: 'another-runner',
      uploadDir: join(uploadDir, 'elsewhere'),
    });
    const req = httpRequest(`${server.url}/api/jobs/${job.id}/events`);
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    expect(res.statusCode).toBe(200);
    let text = '';
    res.setEncoding('utf8');
    const firstEvent = new Promise<void>((resolve) =>
      res.on('data', (c: string) => {
        text += c;
        if (text.includes('\n\n')) resolve();
      }),
    );
    const ended = once(res, 'end');
    await firstEvent;
    expect(text).toMatch(/^id: 1\nevent: status\n/);

    await server.close();
    await ended;
    expect(text).toMatch(
      /retry: \d+\nevent: shutdown\ndata: \{"message":"the server is shutting down"\}\n\n$/,
    );
  });

  it('answers an upload in progress at once with a 503 saying the server is shutting down, not a hidden error', async () => {
    const { logger, lines } = capturingLogger();
    const server = await start(logger);
    const started = dirReaches(uploadDir, (entries) => entries.length > 0);
    const req = openUpload(server.url, 'ca-mau', bearer(analyst), 'big.tif');
    req.write(Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.alloc(64 * 1024)]));
    await started;
    const response = once(req, 'response') as Promise<[IncomingMessage]>;

    // The client never sends the rest: the answer must not wait for it.
    const closing = server.close();
    const [res] = await response;
    const { text } = await readAll(res);
    await closing;
    req.destroy();

    expect(res.statusCode, text).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.headers.connection).toBe('close');
    const problem = JSON.parse(text) as Record<string, unknown>;
    expect(problem).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(problem.detail).toMatch(/shutting down/);
    expect(problem).not.toHaveProperty('errorId');
    await dirReaches(uploadDir, (entries) => entries.length === 0);
    const refused = lines.find((l) => l.msg === 'request refused');
    expect(refused).toMatchObject({ level: 40, status: 503 });
    expect(refused).not.toHaveProperty('err');
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('a request still open at the shutdown time limit is cut, and the log names it', async () => {
    const { logger, lines } = capturingLogger();
    const server = await start(logger, 200);
    // Hold GET /api/sites in the database: an explicit handshake instead of a slow handler.
    const trx = await db.knex.transaction();
    try {
      await trx.raw('LOCK TABLE sites IN ACCESS EXCLUSIVE MODE');
      const req = httpRequest(`${server.url}/api/sites`);
      const failed = new Promise<unknown>((resolve) => {
        req.on('error', resolve);
        req.on('response', (res: IncomingMessage) => resolve(res.statusCode));
      });
      req.end();
      // The request has reached the database once a query waits for the lock.
      for (;;) {
        const { rows } = (await trx.raw(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        )) as { rows: { n: number }[] };
        if (rows[0]!.n > 0) break;
      }
      await server.close();
      expect(await failed).toBeInstanceOf(Error);
      expect(lines.find((l) => l.msg.startsWith('shutdown time limit reached'))).toMatchObject({
        level: 40,
        requests: ['GET /api/sites'],
      });
    } finally {
      await trx.rollback();
    }
  });
});
