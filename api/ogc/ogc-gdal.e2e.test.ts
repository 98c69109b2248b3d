import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGdal } from '../../test/support/capabilities.ts';
import { type OgcTestEnv, startOgcTestEnv, tableCounts } from './ogc-e2e-support.ts';

const run = promisify(execFile);
const COLLECTION_IDS = ['shorelines', 'transects', 'change', 'forecasts', 'hazard', 'zones', 'sites'];

/**
 * GDAL's own OGC API Features client (driver OAPIF, Debian gdal-bin) reading our API: the test a GIS user's
 * QGIS or ogr2ogr would run. GDAL must run asynchronously: the server answers from this same process.
 */
async function gdal(
  tool: 'ogrinfo' | 'ogr2ogr',
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  return run(tool, args, {
    // Loopback must never go through a proxy the environment may configure.
    env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** "Layer name: x" … "Feature Count: n" blocks of `ogrinfo -so`. */
function featureCounts(stdout: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let layer: string | undefined;
  for (const line of stdout.split('\n')) {
    const name = /^Layer name: (\S+)/.exec(line);
    if (name) layer = name[1];
    const count = /^Feature Count: (\d+)/.exec(line);
    if (count && layer !== undefined) counts[layer] = Number(count[1]);
  }
  return counts;
}

/** The item page URLs GDAL fetched (CPL_DEBUG=ON logs each HTTP fetch). */
function itemFetches(stderr: string, collectionId: string): string[] {
  const prefix = `/ogc/collections/${collectionId}/items?`;
  return [...stderr.matchAll(/HTTP: Fetch\((\S+)\)/g)]
    .map((m) => m[1]!)
    .filter((url) => url.includes(prefix));
}

describe.skipIf(!hasGdal())('GDAL ogrinfo/ogr2ogr (OAPIF driver) reading the OGC API', () => {
  let env: OgcTestEnv;
  let counts: Record<string, number>;
  let dataset: string;
  let outDir: string;

  beforeAll(async () => {
    env = await startOgcTestEnv();
    counts = await tableCounts(env.db);
    dataset = `OAPIF:${env.ogcUrl}`;
    outDir = await mkdtemp(join(tmpdir(), 'tidemark-ogc-gdal-'));
  });
  afterAll(async () => {
    await env?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('lists every collection as a layer', async () => {
    const { stdout } = await gdal('ogrinfo', ['-ro', '-so', dataset]);
    const layers = [...stdout.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1]);
    expect(layers).toEqual(COLLECTION_IDS);
  });

  it('reports the feature count of every collection (ogrinfo -ro -al -so)', async () => {
    const { stdout } = await gdal('ogrinfo', ['-ro', '-al', '-so', dataset]);
    const reported = featureCounts(stdout);
    expect(Object.keys(reported)).toEqual(COLLECTION_IDS);
    for (const id of COLLECTION_IDS) expect(reported[id], id).toBe(counts[id]);
    expect(stdout).toMatch(/Layer name: shorelines\n(?:.*\n)*?Geometry: Multi Line String/);
  });

  it('types every field from the collection schema, not from the values of the first page', async () => {
    const { stdout, stderr } = await gdal(
      'ogrinfo',
      ['-ro', '-so', dataset, 'zones', 'transects', 'shorelines'],
      { CPL_DEBUG: 'ON' },
    );
    expect(stderr.match(/OAPIF: Using JSON schema/g)).toHaveLength(3);
    const fieldTypes = (layer: string) => {
      const block = stdout.split(/^Layer name: /m).find((b) => b.startsWith(`${layer}\n`)) ?? '';
      return Object.fromEntries([...block.matchAll(/^(\w+): (\w+) \(/gm)].map((m) => [m[1], m[2]]));
    };
    // Fields that are null in most or all features (zones not assessed, shorelines without an uncertainty)
    // would be text if GDAL typed them from the values.
    expect(fieldTypes('zones')).toMatchObject({
      name: 'String',
      area_m2: 'Real',
      distance_to_shoreline_m: 'Real',
      years_to_impact: 'Real',
      created_at: 'DateTime',
    });
    expect(fieldTypes('transects')).toMatchObject({ transect_no: 'Integer', lrr_m_yr: 'Real' });
    expect(fieldTypes('shorelines')).toMatchObject({ uncertainty_m: 'Real' });
  });

  it('reports the shorelines layer with its count and extent (ogrinfo -ro -so … shorelines)', async () => {
    const { stdout } = await gdal('ogrinfo', ['-ro', '-so', dataset, 'shorelines']);
    expect(featureCounts(stdout)).toEqual({ shorelines: counts.shorelines });
    const extent = /Extent: \(([\d.]+), ([\d.]+)\) - \(([\d.]+), ([\d.]+)\)/.exec(stdout);
    expect(extent).not.toBeNull();
    const { rows } = await env.db.knex.raw<{ rows: { w: number; n: number }[] }>(
      'SELECT ST_XMin(ST_Extent(geom)) AS w, ST_YMax(ST_Extent(geom)) AS n FROM shorelines',
    );
    expect(Number(extent![1])).toBeCloseTo(rows[0]!.w, 5);
    expect(Number(extent![4])).toBeCloseTo(rows[0]!.n, 5);
  });

  it('downloads a whole collection over several pages with ogr2ogr', async () => {
    const pageSize = 10;
    const out = join(outDir, 'transects.geojson');
    const { stderr } = await gdal(
      'ogr2ogr',
      ['-f', 'GeoJSON', out, dataset, 'transects', '-oo', `PAGE_SIZE=${pageSize}`],
      { CPL_DEBUG: 'ON' },
    );
    const fetched = new Set(itemFetches(stderr, 'transects'));
    expect(fetched.size).toBeGreaterThanOrEqual(Math.ceil(counts.transects! / pageSize));
    expect([...fetched].some((url) => url.includes('after='))).toBe(true);
    const written = JSON.parse(await readFile(out, 'utf8')) as {
      features: { properties: { transect_no: number; site: string; lrr_m_yr: number | null } }[];
    };
    expect(written.features).toHaveLength(counts.transects!);
    expect(new Set(written.features.map((f) => f.properties.transect_no)).size).toBe(counts.transects);
    expect(written.features[0]?.properties).toMatchObject({ site: 'ca-mau', lrr_m_yr: expect.any(Number) });
  });

  it('pushes an attribute filter on a queryable to the server', async () => {
    const { rows } = await env.db.knex.raw<{ rows: { rate_class: string; n: number }[] }>(
      'SELECT rate_class, count(*)::integer AS n FROM transect_stats GROUP BY rate_class ORDER BY n DESC LIMIT 1',
    );
    const { rate_class: rateClass, n } = rows[0]!;
    const { stdout, stderr } = await gdal(
      'ogrinfo',
      ['-ro', '-so', dataset, 'transects', '-where', `rate_class = '${rateClass}'`],
      { CPL_DEBUG: 'ON' },
    );
    expect(featureCounts(stdout)).toEqual({ transects: n });
    expect(itemFetches(stderr, 'transects').some((url) => url.includes(`rate_class=${rateClass}`))).toBe(
      true,
    );
  });

  it("regression: GDAL 3.6's date-only datetime ('2018-01-01T') from a -where on a date field is understood", async () => {
    const { rows } = await env.db.knex.raw<{ rows: { first: string; last: string; n: number }[] }>(
      `SELECT min(date)::text AS first, max(date)::text AS last, count(*)::integer AS n
       FROM (SELECT date FROM shorelines ORDER BY date OFFSET 1 LIMIT 3) d`,
    );
    const { first, last, n } = rows[0]!;
    const { stdout, stderr } = await gdal(
      'ogrinfo',
      ['-ro', '-so', dataset, 'shorelines', '-where', `date >= '${first}' AND date <= '${last}'`],
      { CPL_DEBUG: 'ON' },
    );
    expect(stderr).not.toMatch(/ERROR/);
    expect(itemFetches(stderr, 'shorelines').some((url) => url.includes('datetime='))).toBe(true);
    expect(featureCounts(stdout)).toEqual({ shorelines: n });
  });
});
