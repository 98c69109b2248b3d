import { pino } from 'pino';
import { expect } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { type RunningServer, startServer } from '../server.ts';
import { type SeededOgcData, seedOgcFixtures } from './seed-ogc-fixtures.ts';

/** Shared set-up of the OGC API e2e tests: a database of their own with fixture data, and a real server. */
export interface OgcTestEnv {
  db: TestDatabase;
  server: RunningServer;
  seeded: SeededOgcData;
  /** `${server.url}/ogc` */
  ogcUrl: string;
  close(): Promise<void>;
}

export async function startOgcTestEnv(): Promise<OgcTestEnv> {
  const db = await openTestDatabase();
  try {
    const seeded = await seedOgcFixtures(db);
    const server = await startServer({
      db,
      port: 0,
      logger: pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2)),
      buildViewer: false,
      viewerDir: '/nonexistent',
    });
    return {
      db,
      server,
      seeded,
      ogcUrl: `${server.url}/ogc`,
      close: async () => {
        await server.close();
        await db.dispose();
      },
    };
  } catch (err) {
    await db.dispose();
    throw err;
  }
}

/**
 * Row counts per collection straight from the tables (independent of store/features), to check what the
 * API and GDAL report against.
 */
export async function tableCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.knex.raw<{ rows: Record<string, number>[] }>(
    `SELECT (SELECT count(*) FROM shorelines)::integer AS shorelines,
            (SELECT count(*) FROM transects)::integer AS transects,
            (SELECT count(*) FROM change_polygons)::integer AS change,
            (SELECT count(line_geom) + count(band_geom) FROM forecasts)::integer AS forecasts,
            (SELECT count(*) FROM hazard_zones)::integer AS hazard,
            (SELECT count(*) FROM aquaculture_zones)::integer AS zones,
            (SELECT count(*) FROM sites)::integer AS sites`,
  );
  return rows[0]!;
}

export interface JsonResponse<T = Record<string, unknown>> {
  res: Response;
  body: T;
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(url, { headers });
  return { res, body: (await res.json()) as T };
}

/** Checks an RFC 9457 problem response that leaks nothing internal, and returns its body. */
export async function expectProblem(url: string, status: number): Promise<Record<string, unknown>> {
  const res = await fetch(url);
  expect(res.status, url).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+|SELECT|postgres(ql)?:\/\//i);
  return body;
}
