/**
 * `npm run bench:tiles`: our tile server against the same ST_AsMVT SQL run directly, on a real PostGIS.
 *
 * 1. Creates a fresh database on the DATABASE_URL server, ingests the committed fixture scenes, analyses the
 *    site and stores its ponds as zones (the same data the tile tests use), and drops it at the end.
 * 2. Builds a fixed list of 200 non-empty tiles at z10–z16 over the fixture coast, spread over the zooms and
 *    the six layers (shorelines, change, transects, forecasts, hazard, zones), each with `?site=`.
 * 3. Raw SQL: the exact statement the server runs for each tile (`vectorTileSql`, the same $n text and
 *    values), from a 64-connection pg pool in this process, 64 queries in flight, cycling over the list:
 *    prepared, as the server sends it (the target's baseline), and unnamed (planned on every query).
 * 4. Our server, uncached: tile cache off (TIDEMARK_TILE_CACHE_MB=0), `Accept-Encoding: gzip` as a browser
 *    sends, no If-None-Match: every request renders its tile. wrk, 64 connections, loopback.
 * 5. Our server, cached: the LRU warm, the same requests answered from memory (200 with the stored gzip
 *    bytes), then revalidations (If-None-Match with each tile's ETag: 304).
 *
 * Prints req/s, p50 and p99 of each, and the ratios against the targets (uncached ≥ 0.8 × raw SQL; cached
 * ≥ 5,000 req/s with p99 ≤ 20 ms). The uncached ratio is given against both raw runs: the SQL planned on
 * every query (what `pgbench -f` with the tile query does) and the same prepared statements the server
 * sends (so the ratio is the HTTP server's own overhead). Exits 1 when a run fails, not when a target is
 * missed (the table says so).
 *
 * Raw SQL and the uncached server alternate for BENCH_ROUNDS rounds; each figure is the median round.
 *
 * Environment: DATABASE_URL (required: a PostgreSQL with PostGIS built with protobuf), BENCH_SECONDS
 * (default 10 per run, after 2 s of warm-up), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS (default 64),
 * BENCH_TILES (default 200).
 * Needs `wrk` (Debian package wrk).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { type RunningServer, startServer } from '../api/server.ts';
import { type Database, openDatabase } from '../store/db.ts';
import { getDataExtent } from '../store/shorelines.ts';
import { type AnalysisLayerId, getLayerExtent } from '../store/tiles/layer-extent.ts';
import { LAYER_TILE_QUERIES } from '../store/tiles/layer-tile-queries.ts';
import { renderVectorTile, vectorTileSql } from '../store/tiles/render-vector-tile.ts';
import { seedAnalysedFixtureSite } from '../test/support/analysed-fixture-site.ts';
import { adminQuery, withDatabase } from '../test/support/server-template.ts';

const SECONDS = positive('BENCH_SECONDS', 10);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 64);
const TILE_COUNT = positive('BENCH_TILES', 200);
const ROUNDS = positive('BENCH_ROUNDS', 3);
const WARMUP_SECONDS = 2;
const ZOOMS = [10, 11, 12, 13, 14, 15, 16];
const LAYERS = ['shorelines', 'change', 'transects', 'forecasts', 'hazard', 'zones'] as const;
const SITE = 'ca-mau';
const ALL_YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];
const TARGET_UNCACHED_RATIO = 0.8;
const TARGET_CACHED_RPS = 5000;
const TARGET_CACHED_P99_MS = 20;

interface BenchTile {
  layer: (typeof LAYERS)[number];
  z: number;
  x: number;
  y: number;
}

interface RunResult {
  label: string;
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** CPU time of this process (the pg harness, or our server) per request, user + system. */
  cpuUsPerRequest?: number;
}

/** Runs `body` and adds this process's CPU time per request to its result. */
async function withCpu(body: () => Promise<RunResult>): Promise<RunResult> {
  const before = process.cpuUsage();
  const result = await body();
  const used = process.cpuUsage(before);
  return { ...result, cpuUsPerRequest: (used.user + used.system) / Math.max(1, result.requests) };
}

/** The run with the median req/s (the upper one of an even count). */
function medianRun(runs: readonly RunResult[]): RunResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) fail(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

function fail(message: string): never {
  process.stderr.write(`bench:tiles: ${message}\n`);
  process.exit(1);
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function tileRange(bounds: [number, number, number, number], z: number) {
  const n = 2 ** z;
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * n);
  const ty = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  const [w, s, e, north] = bounds;
  return { x0: tx(w), x1: tx(e), y0: ty(north), y1: ty(s) };
}

/**
 * Every non-empty (layer, tile) at z10–z16 within each layer's data bounds, then TILE_COUNT of them taken in
 * turn from each zoom (and, within a zoom, each layer), so the list spreads over zooms and layers.
 */
async function buildTileList(db: Database): Promise<BenchTile[]> {
  const byZoom = new Map<number, BenchTile[][]>();
  for (const layer of LAYERS) {
    const extent =
      layer === 'shorelines'
        ? await getDataExtent(db, SITE)
        : await getLayerExtent(db, layer as AnalysisLayerId, SITE);
    if (!extent) fail(`the fixture site has no ${layer} data`);
    for (const z of ZOOMS) {
      const { x0, x1, y0, y1 } = tileRange(extent.bounds, z);
      const found: BenchTile[] = [];
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const tile = { z, x, y };
          const query = LAYER_TILE_QUERIES[layer]!(tile, { site: SITE });
          if (await renderVectorTile(db, tile, [query], { encoder: 'postgis' }))
            found.push({ layer, ...tile });
        }
      }
      byZoom.set(z, [...(byZoom.get(z) ?? []), found]);
    }
  }
  // Per zoom, the layers' tiles interleaved; then one tile from each zoom in turn.
  const interleave = <T>(lists: readonly (readonly T[])[]): T[] => {
    const out: T[] = [];
    for (let i = 0; lists.some((l) => i < l.length); i++)
      for (const l of lists) if (i < l.length) out.push(l[i]!);
    return out;
  };
  const list = interleave(ZOOMS.map((z) => interleave(byZoom.get(z) ?? []))).slice(0, TILE_COUNT);
  if (list.length < TILE_COUNT) {
    fail(`only ${list.length} non-empty tiles at z10–z16 over the fixture coast (BENCH_TILES=${TILE_COUNT})`);
  }
  return list;
}

const tilePath = (t: BenchTile) => `/tiles/${t.layer}/${t.z}/${t.x}/${t.y}.mvt?site=${SITE}`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The tile statements from a pool of CONNECTIONS connections, CONNECTIONS in flight, cycling over the list. */
async function runRawSql(
  url: string,
  db: Database,
  tiles: readonly BenchTile[],
  prepared: boolean,
): Promise<RunResult> {
  const statements = tiles.map((t) => {
    const tile = { z: t.z, x: t.x, y: t.y };
    const { sql, bindings } = vectorTileSql(tile, LAYER_TILE_QUERIES[t.layer]!(tile, { site: SITE }));
    // The server's statement: $n placeholders and the same values; named (prepared once per connection, as
    // the server does on a PostgreSQL server) or unnamed (planned every time, as knex sends queries).
    const native = db.knex.raw(sql, bindings).toSQL().toNative();
    const name = `bench_${createHash('sha1').update(native.sql).digest('hex').slice(0, 20)}`;
    return { text: native.sql, values: native.bindings as unknown[], ...(prepared ? { name } : {}) };
  });
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS, application_name: 'tidemark-bench' });
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.query('SELECT 1')));
    let next = 0;
    const run = async (seconds: number) => {
      const latenciesMs: number[] = [];
      let errors = 0;
      const until = performance.now() + seconds * 1000;
      const loop = async () => {
        while (performance.now() < until) {
          const statement = statements[next++ % statements.length]!;
          const t0 = performance.now();
          try {
            const { rows } = await pool.query<{ tile: Buffer }>(statement);
            if (!rows[0]?.tile?.length) errors++;
          } catch {
            errors++;
          }
          latenciesMs.push(performance.now() - t0);
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: CONNECTIONS }, loop));
      return { latenciesMs, errors, elapsedS: (performance.now() - started) / 1000 };
    };
    await run(WARMUP_SECONDS);
    const cpuBefore = process.cpuUsage();
    const { latenciesMs, errors, elapsedS } = await run(SECONDS);
    const cpu = process.cpuUsage(cpuBefore);
    latenciesMs.sort((a, b) => a - b);
    return {
      label: `raw SQL, ${prepared ? 'prepared' : 'unnamed'} (pg, ${CONNECTIONS} conns)`,
      requests: latenciesMs.length,
      seconds: elapsedS,
      rps: latenciesMs.length / elapsedS,
      p50Ms: percentile(latenciesMs, 50),
      p99Ms: percentile(latenciesMs, 99),
      errors,
      cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, latenciesMs.length),
    };
  } finally {
    await pool.end();
  }
}

// Each wrk thread walks the list from its own offset; requests are formatted once, up front.
const WRK_SCRIPT = `
local lines = {}
local requests = {}
local counter = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 37)
  table.insert(threads, thread)
end
function init(args)
  local mode = args[2]
  for line in io.lines(args[1]) do
    local path, etag = line:match("^([^\\t]+)\\t?(.*)$")
    local headers = { ["Accept-Encoding"] = "gzip" }
    if mode == "etag" then headers["If-None-Match"] = etag end
    table.insert(requests, wrk.format("GET", path, headers))
  end
  counter = offset or 0
end
function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\":%d,\\"duration_us\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d,\\"errors\\":%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

async function runWrk(
  label: string,
  baseUrl: string,
  listFile: string,
  mode: 'plain' | 'etag',
  script: string,
  seconds: number,
): Promise<RunResult> {
  const args = [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    `${baseUrl}/`,
    '--',
    listFile,
    mode,
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += String(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      out += String(c);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}: ${out}`)),
    );
  });
  const line = /WRK (\{.*\})/.exec(output)?.[1];
  if (!line) throw new Error(`wrk printed no summary: ${output}`);
  const r = JSON.parse(line) as {
    requests: number;
    duration_us: number;
    p50_us: number;
    p99_us: number;
    errors: number;
  };
  const secondsRun = r.duration_us / 1e6;
  return {
    label,
    requests: r.requests,
    seconds: secondsRun,
    rps: r.requests / secondsRun,
    p50Ms: r.p50_us / 1000,
    p99Ms: r.p99_us / 1000,
    errors: r.errors,
  };
}

async function withServer<T>(
  db: Database,
  cacheMb: number,
  body: (s: RunningServer) => Promise<T>,
): Promise<T> {
  process.env.TIDEMARK_TILE_CACHE_MB = String(cacheMb);
  const server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'warn' }, pino.destination(2)),
    buildViewer: false,
    viewerDir: '/nonexistent',
  });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** Fetches every tile once: checks the status, and returns each tile's ETag for gzip. */
async function fetchAll(baseUrl: string, tiles: readonly BenchTile[]): Promise<string[]> {
  const etags: string[] = [];
  for (const t of tiles) {
    const res = await fetch(baseUrl + tilePath(t), { headers: { 'Accept-Encoding': 'gzip' } });
    await res.arrayBuffer();
    const etag = res.headers.get('etag');
    if (res.status !== 200 || !etag) throw new Error(`${tilePath(t)} answered ${res.status}`);
    etags.push(etag);
  }
  return etags;
}

function row(r: RunResult): string {
  return (
    `${r.label.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(7)} ms` +
    `   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   (${r.requests} in ${r.seconds.toFixed(1)} s` +
    `${r.cpuUsPerRequest === undefined ? '' : `, node ${r.cpuUsPerRequest.toFixed(0)} µs CPU/req`}` +
    `${r.errors > 0 ? `, ${r.errors} ERRORS` : ''})`
  );
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    fail(
      'DATABASE_URL is not set. The tile benchmark needs a real PostgreSQL with PostGIS built with protobuf ' +
        '(ST_AsMVT), e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:tiles',
    );
  }
  if (spawnSync('wrk', ['--version']).error) {
    fail('wrk is not installed (Debian: apt-get install wrk)');
  }
  const name = `tidemark_bench_tiles_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(adminUrl, name);
  const work = mkdtempSync(join(tmpdir(), 'tidemark-bench-tiles-'));
  await adminQuery(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  let db: Database | undefined;
  try {
    db = await openDatabase({ databaseUrl: url, logger: pino({ level: 'warn' }, pino.destination(2)) });
    if (!db.capabilities.mvt) fail(`PostGIS ${db.capabilities.postgis} at DATABASE_URL has no ST_AsMVT`);
    log(`loading the fixture site into ${name} (ingest ${ALL_YEARS.length} scenes, analyze, zones)…`);
    const t0 = performance.now();
    await seedAnalysedFixtureSite(db, { slug: SITE, years: ALL_YEARS });
    log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const tiles = await buildTileList(db);
    // Other work on the machine weighs on every figure (on 2 cores, p99 most of all): say how busy it was.
    const loadBefore = loadavg()[0]!;
    const perLayer = LAYERS.map((l) => `${l} ${tiles.filter((t) => t.layer === l).length}`).join(', ');
    const perZoom = ZOOMS.map((z) => `z${z} ${tiles.filter((t) => t.z === z).length}`).join(', ');
    log(`${tiles.length} tiles: ${perLayer}; ${perZoom}`);

    const script = join(work, 'tiles.lua');
    writeFileSync(script, WRK_SCRIPT);
    const plainList = join(work, 'tiles.txt');
    writeFileSync(plainList, `${tiles.map(tilePath).join('\n')}\n`);

    // Raw SQL and the uncached server alternate, ROUNDS times: other load on the machine then weighs on
    // both alike, and each figure is the median round.
    const dbOpen = db;
    const rawRuns: RunResult[] = [];
    const rawUnnamedRuns: RunResult[] = [];
    const uncachedRuns: RunResult[] = [];
    await withServer(dbOpen, 0, async (server) => {
      await fetchAll(server.url, tiles);
      for (let round = 1; round <= ROUNDS; round++) {
        log(
          `round ${round}/${ROUNDS}: raw SQL prepared, raw SQL unnamed, the server uncached ` +
            `(${WARMUP_SECONDS} s warm-up, ${SECONDS} s each)…`,
        );
        rawRuns.push(await runRawSql(url, dbOpen, tiles, true));
        rawUnnamedRuns.push(await runRawSql(url, dbOpen, tiles, false));
        await runWrk('warm-up', server.url, plainList, 'plain', script, WARMUP_SECONDS);
        uncachedRuns.push(
          await withCpu(() =>
            runWrk('server, uncached (cache off)', server.url, plainList, 'plain', script, SECONDS),
          ),
        );
      }
    });
    const raw = medianRun(rawRuns);
    const rawUnnamed = medianRun(rawUnnamedRuns);
    const uncached = medianRun(uncachedRuns);
    const [cachedHit, cached304] = await withServer(dbOpen, 64, async (server) => {
      const etags = await fetchAll(server.url, tiles);
      const etagList = join(work, 'tiles-etags.txt');
      writeFileSync(etagList, `${tiles.map((t, i) => `${tilePath(t)}\t${etags[i]}`).join('\n')}\n`);
      log(`server, cached: ${WARMUP_SECONDS} s warm-up, 2 × ${SECONDS} s measured…`);
      await runWrk('warm-up', server.url, plainList, 'plain', script, WARMUP_SECONDS);
      const hit = await withCpu(() =>
        runWrk('server, cached (LRU hit, 200)', server.url, plainList, 'plain', script, SECONDS),
      );
      const notModified = await withCpu(() =>
        runWrk('server, cached (If-None-Match, 304)', server.url, etagList, 'etag', script, SECONDS),
      );
      return [hit, notModified] as const;
    });

    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const ratio = uncached.rps / raw.rps;
    const ratioUnnamed = uncached.rps / rawUnnamed.rps;
    const rounds = (baseline: RunResult[]) =>
      uncachedRuns.map((u, i) => (u.rps / baseline[i]!.rps).toFixed(2)).join(', ');
    const cachedOk = (r: RunResult) => r.rps >= TARGET_CACHED_RPS && r.p99Ms <= TARGET_CACHED_P99_MS;
    const out = [
      '',
      `tiles benchmark: ${tiles.length} tiles (z10–z16, 6 layers, ?site=${SITE}), ${CONNECTIONS} connections, ` +
        `${SECONDS} s per run, ${ROUNDS} rounds (medians), PostGIS ${db.capabilities.postgis}, wrk on loopback`,
      `machine: ${cpus().length} CPUs, load average ${loadBefore.toFixed(2)} before the runs, ` +
        `${loadavg()[0]!.toFixed(2)} after (this benchmark alone adds about 2)`,
      row(rawUnnamed),
      row(raw),
      row(uncached),
      row(cachedHit),
      row(cached304),
      '',
      `uncached / raw SQL unnamed (planned per query, as pgbench -f runs it): ${ratioUnnamed.toFixed(2)} × ` +
        `(rounds ${rounds(rawUnnamedRuns)}; target ≥ ${TARGET_UNCACHED_RATIO}) ` +
        verdict(ratioUnnamed >= TARGET_UNCACHED_RATIO),
      `uncached / raw SQL prepared (as our server sends it: the server's own overhead): ${ratio.toFixed(2)} × ` +
        `(rounds ${rounds(rawRuns)}; target ≥ ${TARGET_UNCACHED_RATIO}) ${verdict(ratio >= TARGET_UNCACHED_RATIO)}`,
      `cached LRU hit: ${cachedHit.rps.toFixed(0)} req/s, p99 ${cachedHit.p99Ms.toFixed(2)} ms ` +
        `(target ≥ ${TARGET_CACHED_RPS} req/s, p99 ≤ ${TARGET_CACHED_P99_MS} ms) ${verdict(cachedOk(cachedHit))}`,
      `cached 304: ${cached304.rps.toFixed(0)} req/s, p99 ${cached304.p99Ms.toFixed(2)} ms ` +
        `(target ≥ ${TARGET_CACHED_RPS} req/s, p99 ≤ ${TARGET_CACHED_P99_MS} ms) ${verdict(cachedOk(cached304))}`,
      `cached LRU hit / raw SQL prepared: ${(cachedHit.rps / raw.rps).toFixed(1)} ×`,
      '',
    ];
    process.stdout.write(out.join('\n'));
    const failedRuns = [...rawRuns, ...rawUnnamedRuns, ...uncachedRuns, cachedHit, cached304].filter(
      (r) => r.errors > 0,
    );
    if (failedRuns.length > 0) fail(`errors in: ${failedRuns.map((r) => r.label).join(', ')}`);
  } finally {
    await db?.close();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
