import { readFileSync } from 'node:fs';
import type { Router } from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../store/sites.ts';
import {
  bearer,
  expectProblem,
  newKey,
  type RestTestServer,
  startRestTestServer,
  storedCounts,
} from '../../test/support/rest-api-server.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';

type Json = Record<string, unknown>;
interface Operation {
  parameters?: { name: string; in: string; schema?: Json }[];
  responses: Json;
  security?: unknown[];
  requestBody?: Json;
}
type OpenApi = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
} & Json;

const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  .version as string;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Strings an attacker would try, in every path and query parameter. */
const SQLISH = [
  "' OR '1'='1",
  '1; DROP TABLE sites; --',
  '"; SELECT pg_sleep(5); --',
  '1 UNION SELECT key_hash FROM api_keys',
  "ca-mau' --",
  '$$; DELETE FROM scenes; $$',
  '1)) OR ((1=1',
  // PostgreSQL text cannot hold U+0000: a parameter with one must be refused before it reaches SQL.
  'ca-mau\u0000',
];

/** A harmless valid value for each path parameter, so only the one under test is hostile. */
const VALID: Record<string, string> = {
  slug: 'ca-mau',
  id: '1',
  layer: 'shorelines',
  z: '1',
  x: '1',
  y: '1',
};

/** Every (method, OpenAPI-style path) the app's routers mount, HEAD aside. */
function mountedRoutes(server: RestTestServer): Set<string> {
  const routes = new Set<string>();
  for (const mw of server.app.middleware as ({ router?: Router } & object)[]) {
    const router = mw.router;
    if (!router) continue;
    for (const layer of router.stack) {
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      for (const method of layer.methods)
        if (method !== 'HEAD') routes.add(`${method.toLowerCase()} ${path}`);
    }
  }
  return routes;
}

describe('/openapi.json', () => {
  let db: TestDatabase;
  let server: RestTestServer;
  let doc: OpenApi;
  let admin: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    admin = await newKey(db, 'admin');
    server = await startRestTestServer(db, {
      publicReads: true,
      uploadRate: { burst: 10_000, perMinute: 10_000 },
    });
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.oai\.openapi\+json/);
    doc = (await res.json()) as OpenApi;
  });
  afterAll(async () => {
    await server?.close();
    await db?.dispose();
  });

  it('is an OpenAPI 3.0 document with the bearer scheme, and every $ref resolves', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.info.version).toBe(VERSION);
    const components = doc.components as { securitySchemes: Json; schemas: Json };
    expect(components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const name = /#\/components\/schemas\/(\w+)/.exec(ref)?.[1];
      expect(name, ref).toBeDefined();
      expect(components.schemas[name!], ref).toBeDefined();
    }
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        expect(op.security, `${method} ${path}`).toBeDefined();
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(declared.sort(), `${method} ${path}`).toEqual(inPath.sort());
      }
    }
    // Writes always need a key; their documented answers include 401.
    for (const item of Object.values(doc.paths)) {
      for (const method of ['post', 'patch', 'delete'] as const) {
        const op = item[method];
        if (op) expect(op.security).toEqual([{ bearerAuth: [] }]);
        if (op) expect(op.responses['401']).toBeDefined();
      }
    }
  });

  it('describes every route the app mounts, and nothing it does not (the OGC API by its own /ogc/api)', () => {
    const mounted = mountedRoutes(server);
    expect(mounted.size).toBeGreaterThan(15);
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) if (item[method]) documented.add(`${method} ${path}`);
    }
    const ogc = (route: string) => / \/ogc\//.test(route);
    expect([...mounted].filter((r) => !ogc(r) && !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !mounted.has(r))).toEqual([]);
    if ([...mounted].some(ogc)) {
      expect(mounted.has('get /ogc/api')).toBe(true);
      expect((doc.externalDocs as { url: string }).url).toBe('/ogc/api');
    }
  });

  it('declares the bounds, answers and media types the server has', async () => {
    const tile = doc.paths['/tiles/{layer}/{z}/{x}/{y}.mvt']!.get!;
    const deepest = tile.parameters!.find((p) => p.name === 'z')!.schema!.maximum as number;
    expect((await fetch(`${server.url}/tiles/shorelines/${deepest}/0/0.mvt`)).status).toBeLessThan(400);
    await expectProblem(await fetch(`${server.url}/tiles/shorelines/${deepest + 1}/0/0.mvt`), 400);
    expect(tile.responses['406']).toBeDefined();
    const self = doc.paths['/openapi.json']!.get!.responses['200'] as { content: Json };
    const res = await fetch(`${server.url}/openapi.json`);
    expect(Object.keys(self.content)).toEqual([res.headers.get('content-type')]);
  });

  it('SQL-ish strings in every path and query parameter of every operation: 400/404, nothing stored', async () => {
    const before = await storedCounts(db);
    let requests = 0;
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const headers: Record<string, string> = { ...bearer(admin), 'Content-Type': 'application/json' };
        const body = method === 'get' || method === 'delete' ? undefined : '{}';
        const fill = (hostile: string | null, value: string) =>
          template.replace(/\{(\w+)\}/g, (_m, name: string) =>
            encodeURIComponent(name === hostile ? value : (VALID[name] ?? '1')),
          );
        const cases: string[] = [];
        for (const value of SQLISH) {
          for (const name of pathParams) cases.push(fill(name, value));
          for (const name of queryParams)
            cases.push(`${fill(null, '')}?${name}=${encodeURIComponent(value)}`);
          // An unknown parameter whose name and value are both hostile. (Health checks ignore their query
          // string, as load balancers may add cache-busters: nothing there reaches SQL.)
          if (template !== '/healthz')
            cases.push(`${fill(null, '')}?${encodeURIComponent(value)}=${encodeURIComponent(value)}`);
        }
        for (const url of cases) {
          const res = await fetch(`${server.url}${url}`, { method: method.toUpperCase(), headers, body });
          requests += 1;
          await expectProblem(res, res.status === 404 ? 404 : 400, SQLISH);
        }
      }
    }
    expect(requests).toBeGreaterThan(200);
    expect(await storedCounts(db)).toEqual(before);
  });
});
