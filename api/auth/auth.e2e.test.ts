import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  expectProblem,
  newKey,
  type RestTestServer,
  startRestTestServer,
  storedCounts,
} from '../../test/support/rest-api-server.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/test-db.ts';
import { apiKeySchema, createdKeySchema } from '../openapi/schemas.ts';
import { API_CONTENT_SECURITY_POLICY } from '../security-headers.ts';

const SITE_BODY = (slug: string) => JSON.stringify({ slug, name: `Site ${slug}`, epsg: 32648 });
const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('API keys and roles over HTTP', () => {
  let db: TestDatabase;
  let server: RestTestServer;
  let privateServer: RestTestServer;
  let corsServer: RestTestServer;
  let viewerDir: string;
  let analyst: string;
  let admin: string;

  beforeAll(async () => {
    db = await openTestDatabase();
    analyst = await newKey(db, 'analyst', 'field team');
    admin = await newKey(db, 'admin', 'ops');
    viewerDir = await mkdtemp(join(tmpdir(), 'tidemark-viewer-'));
    await mkdir(join(viewerDir, 'assets'));
    // Over 256 bytes, so they are served compressed like the real build (tiny files hit a negotiation bug
    // in api/representation.ts, reported to its owner).
    await writeFile(
      join(viewerDir, 'index.html'),
      `<!doctype html><title>viewer</title>${'<p>x</p>'.repeat(64)}`,
    );
    await writeFile(
      join(viewerDir, 'assets', 'worker-abc.mjs'),
      `self.onmessage = () => {};${'\n// pad'.repeat(64)}`,
    );
    server = await startRestTestServer(
      db,
      { publicReads: true, uploadRate: { burst: 2, perMinute: 1 }, corsOrigins: [] },
      { viewerDir },
    );
    privateServer = await startRestTestServer(db, { publicReads: false });
    corsServer = await startRestTestServer(db, { corsOrigins: ['https://maps.example.org'] });
  });
  afterAll(async () => {
    await server?.close();
    await privateServer?.close();
    await corsServer?.close();
    await db?.dispose();
    await rm(viewerDir, { recursive: true, force: true });
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', body, headers: { ...JSON_HEADERS, ...headers } });

  it('a write without a key is 401 with a Bearer challenge, and stores nothing', async () => {
    const before = await storedCounts(db);
    const res = await post('/api/sites', SITE_BODY('no-key'));
    const problem = await expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="tidemark"/);
    expect(problem.detail).toMatch(/API key/);
    expect(await storedCounts(db)).toEqual(before);
  });

  it.each([
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['a malformed key', 'Bearer not-a-key'],
    ['an unknown key', `Bearer tmk_0123456789ab_${'A'.repeat(43)}`],
    ['a known prefix with a wrong secret', 'WRONG_SECRET'],
    ['an empty bearer', 'Bearer '],
  ])('%s is 401 even on a public read', async (_name, header) => {
    const value = header === 'WRONG_SECRET' ? `Bearer ${analyst.slice(0, 17)}${'B'.repeat(43)}` : header;
    const res = await fetch(`${server.url}/api/sites`, { headers: { Authorization: value } });
    await expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('an analyst may create a site but not manage keys (403), and an admin may do both', async () => {
    const created = await post('/api/sites', SITE_BODY('by-analyst'), bearer(analyst));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/sites/by-analyst');

    const before = await storedCounts(db);
    const denied = await post('/api/keys', JSON.stringify({ role: 'admin' }), bearer(analyst));
    const problem = await expectProblem(denied, 403);
    expect(problem.detail).toMatch(/admin role/);
    await expectProblem(await fetch(`${server.url}/api/keys`, { headers: bearer(analyst) }), 403);
    await expectProblem(
      await fetch(`${server.url}/api/keys/1`, { method: 'DELETE', headers: bearer(analyst) }),
      403,
    );
    await expectProblem(await fetch(`${server.url}/api/keys`), 401);
    expect(await storedCounts(db)).toEqual(before);

    expect((await post('/api/sites', SITE_BODY('by-admin'), bearer(admin))).status).toBe(201);
    const list = await fetch(`${server.url}/api/keys`, { headers: bearer(admin) });
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const keys = ((await list.json()) as { keys: unknown[] }).keys;
    for (const k of keys) apiKeySchema.parse(k);
    expect(keys.length).toBeGreaterThanOrEqual(2);
  });

  it('an admin creates a key (secret shown once), it works, and after revocation it is 401', async () => {
    const res = await post('/api/keys', JSON.stringify({ role: 'analyst', name: 'laptop' }), bearer(admin));
    expect(res.status).toBe(201);
    const created = createdKeySchema.parse(await res.json());
    expect(created.apiKey).toMatchObject({ role: 'analyst', name: 'laptop', revokedAt: null });
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);

    expect((await post('/api/sites', SITE_BODY('by-new-key'), bearer(created.key))).status).toBe(201);

    const revoked = await fetch(`${server.url}/api/keys/${created.apiKey.id}`, {
      method: 'DELETE',
      headers: bearer(admin),
    });
    expect(revoked.status).toBe(200);
    expect(
      ((await revoked.json()) as { apiKey: { revokedAt: string | null } }).apiKey.revokedAt,
    ).not.toBeNull();

    const before = await storedCounts(db);
    const refused = await post('/api/sites', SITE_BODY('after-revoke'), bearer(created.key));
    const problem = await expectProblem(refused, 401);
    expect(problem.detail).toMatch(/revoked/);
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    await expectProblem(await fetch(`${server.url}/api/sites`, { headers: bearer(created.key) }), 401);
    expect(await storedCounts(db)).toEqual(before);
  });

  it('an expired key is 401; a used key records when it was last used', async () => {
    const key = await newKey(db, 'analyst', 'temporary');
    const prefix = key.slice(4, 16);
    expect((await fetch(`${server.url}/api/sites`, { headers: bearer(key) })).status).toBe(200);
    const used = (await db.knex('api_keys').where({ key_prefix: prefix }).first()) as {
      last_used_at: Date | null;
    };
    expect(used.last_used_at).not.toBeNull();
    await db
      .knex('api_keys')
      .where({ key_prefix: prefix })
      .update({ expires_at: db.knex.raw("now() - interval '1 second'") });
    const problem = await expectProblem(
      await fetch(`${server.url}/api/sites`, { headers: bearer(key) }),
      401,
    );
    expect(problem.detail).toMatch(/expired/);
  });

  it('bad key requests: unknown role, unknown field, bad id, unknown id', async () => {
    const before = await storedCounts(db);
    await expectProblem(await post('/api/keys', JSON.stringify({ role: 'root' }), bearer(admin)), 400);
    await expectProblem(
      await post('/api/keys', JSON.stringify({ role: 'admin', scope: 'all' }), bearer(admin)),
      400,
    );
    await expectProblem(
      await post('/api/keys', JSON.stringify({ role: 'admin', name: '' }), bearer(admin)),
      400,
    );
    await expectProblem(
      await post('/api/keys', 'role=admin', { ...bearer(admin), 'Content-Type': 'text/plain' }),
      415,
    );
    for (const id of ['abc', '0', '-1', '1.5', "1' OR '1'='1", '99999999999']) {
      const res = await fetch(`${server.url}/api/keys/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: bearer(admin),
      });
      await expectProblem(res, 400);
    }
    await expectProblem(
      await fetch(`${server.url}/api/keys/424242`, { method: 'DELETE', headers: bearer(admin) }),
      404,
    );
    expect(await storedCounts(db)).toEqual(before);
  });

  it('keys are stored only as salted hashes: no secret, no unsalted hash in the table', async () => {
    const rows = (await db.knex('api_keys').select('*')) as Record<string, unknown>[];
    const dump = JSON.stringify(rows);
    const salts = new Set<string>();
    for (const key of [analyst, admin]) {
      const secret = key.slice('tmk_0123456789ab_'.length);
      expect(secret).toHaveLength(43);
      expect(dump).not.toContain(secret);
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(createHash('sha256').update(secret).digest('hex'));
      expect(dump).not.toContain(createHash('sha256').update(key).digest('hex'));
      const row = rows.find((r) => key.startsWith(`tmk_${String(r.key_prefix)}_`))!;
      expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
      salts.add(String(row.salt));
    }
    expect(salts.size).toBe(2);
  });

  it('reads are public by default; with TIDEMARK_PUBLIC_READS=0 they need a key (health stays open)', async () => {
    expect((await fetch(`${server.url}/api/sites`)).status).toBe(200);
    const res = await fetch(`${privateServer.url}/api/sites`);
    await expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectProblem(await fetch(`${privateServer.url}/tiles/shorelines.json`), 401);
    await expectProblem(await fetch(`${privateServer.url}/api/jobs/1`), 401);
    expect((await fetch(`${privateServer.url}/api/sites`, { headers: bearer(analyst) })).status).toBe(200);
    expect((await fetch(`${privateServer.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${privateServer.url}/openapi.json`)).status).toBe(200);
  });

  it('a write to a path or method nobody serves is still 404/405, not a request for a key', async () => {
    await expectProblem(await fetch(`${server.url}/no/such/path`, { method: 'POST' }), 404);
    const res = await fetch(`${server.url}/healthz`, { method: 'DELETE' });
    await expectProblem(res, 405);
    expect(res.headers.get('allow')).toMatch(/GET/);
  });

  it('uploads are rate limited per key: 429 with Retry-After once the burst is spent', async () => {
    const other = await newKey(db, 'analyst', 'second uploader');
    const upload = (key: string) =>
      fetch(`${server.url}/api/sites/by-analyst/scenes`, {
        method: 'POST',
        headers: { ...bearer(key), 'Content-Type': 'text/plain' },
        body: 'not multipart',
      });
    // Burst of 2: the first two get through to the (failing) upload itself, the third is limited.
    await expectProblem(await upload(analyst), 415);
    await expectProblem(await upload(analyst), 415);
    const limited = await upload(analyst);
    const problem = await expectProblem(limited, 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(problem.detail).toMatch(/too many uploads/);
    // Another key has its own bucket; reads are not limited.
    await expectProblem(await upload(other), 415);
    expect((await fetch(`${server.url}/api/sites`, { headers: bearer(analyst) })).status).toBe(200);
  });

  describe('security headers and CORS', () => {
    it('every response carries the security headers: success, problem, 401 and 404', async () => {
      for (const [path, init] of [
        ['/api/sites', {}],
        ['/api/sites/nowhere', {}],
        ['/api/sites', { method: 'POST' }],
        ['/no/such/path', {}],
        ['/healthz', {}],
      ] as const) {
        const res = await fetch(`${server.url}${path}`, init);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect(res.headers.get('content-security-policy'), path).toBe(API_CONTENT_SECURITY_POLICY);
        expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
        expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
        expect(res.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
        expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
        expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
        await res.arrayBuffer();
      }
    });

    it("keeps the viewer's own page policy, and gives its scripts (the map worker) none of the API's", async () => {
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/worker-src 'self'/);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      const worker = await fetch(`${server.url}/assets/worker-abc.mjs`);
      expect(worker.status).toBe(200);
      expect(worker.headers.get('content-security-policy')).toBeNull();
      expect(worker.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('no CORS by default; a configured origin gets CORS and preflights, another origin does not', async () => {
      const origin = { Origin: 'https://maps.example.org' };
      const none = await fetch(`${server.url}/api/sites`, { headers: origin });
      expect(none.headers.get('access-control-allow-origin')).toBeNull();

      const allowed = await fetch(`${corsServer.url}/api/sites`, { headers: origin });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://maps.example.org');
      expect(allowed.headers.get('vary')).toMatch(/Origin/);
      expect(allowed.headers.get('access-control-expose-headers')).toMatch(/ETag/);
      expect(allowed.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();

      const preflight = await fetch(`${corsServer.url}/api/sites/x/zones`, {
        method: 'OPTIONS',
        headers: {
          ...origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);

      const other = await fetch(`${corsServer.url}/api/sites`, {
        headers: { Origin: 'https://evil.example.com' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const otherPreflight = await fetch(`${corsServer.url}/api/sites`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'POST' },
      });
      expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
