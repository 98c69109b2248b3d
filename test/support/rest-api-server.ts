import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { type Logger, pino } from 'pino';
import { expect } from 'vitest';
import { createApp } from '../../api/app.ts';
import { closeRestApi, type RestApiOptions } from '../../api/rest-api.ts';
import { type ApiKeyRole, createApiKey } from '../../store/api-keys.ts';
import type { Database } from '../../store/db.ts';

export interface RestTestServer {
  url: string;
  app: Koa;
  close(): Promise<void>;
}

/** The real app on a real HTTP server on 127.0.0.1:0, with REST options the test chooses. */
export async function startRestTestServer(
  db: Database,
  rest: RestApiOptions = {},
  opts: { logger?: Logger; viewerDir?: string } = {},
): Promise<RestTestServer> {
  const app = createApp({
    db,
    logger: opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)),
    rest,
    ...(opts.viewerDir === undefined ? {} : { viewerDir: opts.viewerDir }),
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: async () => {
      await closeRestApi(app);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A new API key of `role`, straight from the store (as `tidemark key create` makes one). */
export async function newKey(db: Database, role: ApiKeyRole, name?: string): Promise<string> {
  return (await createApiKey(db.knex, { role, ...(name === undefined ? {} : { name }) })).key;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/**
 * Checks an RFC 9457 problem response and that nothing internal leaks through it (SQL text, a stack, a
 * connection string). `echoed` lists request input the problem may quote back (it is the client's own).
 */
export async function expectProblem(
  res: Response,
  status: number,
  echoed: readonly string[] = [],
): Promise<Record<string, unknown>> {
  const raw = await res.text();
  let text = raw;
  for (const e of echoed) text = text.split(JSON.stringify(e).slice(1, -1)).join('');
  expect(res.status, raw).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(raw) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  expect(text).not.toMatch(/\bat .+:\d+:\d+|SELECT |INSERT |postgres(ql)?:\/\//i);
  return body;
}

/** Row counts of the tables a rejected request must never change. */
export async function storedCounts(db: Database): Promise<Record<string, number>> {
  const tables = ['sites', 'scenes', 'shorelines', 'aquaculture_zones', 'runs', 'run_items', 'api_keys'];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const row = (await db.knex(t).count({ n: '*' }).first()) as { n: number | string };
    out[t] = Number(row.n);
  }
  const v = (await db.knex('sites').max({ v: 'data_version' }).first()) as { v: number | null };
  out.maxDataVersion = Number(v.v ?? 0);
  return out;
}
