import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertShorelines, type LineFeature } from '../store/shorelines.ts';
import { bumpDataVersion, createSite } from '../store/sites.ts';
import { chromiumPath, hasChromium } from '../test/support/capabilities.ts';
import { openTestDatabase, type TestDatabase } from '../test/support/test-db.ts';
import { type RunningServer, startServer } from './server.ts';

const YEARS = [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];
const SCENES = join(import.meta.dirname, '..', 'fixtures', 'scenes');

interface TruthLine {
  date: string;
  features: LineFeature[];
}

/** The committed fixture series' exact shorelines (fixtures/scenes/ca-mau-<year>.truth.geojson). */
async function readTruth(year: number): Promise<TruthLine> {
  const json = JSON.parse(await readFile(join(SCENES, `ca-mau-${year}.truth.geojson`), 'utf8')) as {
    features: Array<LineFeature & { properties: { date: string } }>;
  };
  const date = json.features[0]?.properties.date;
  if (date === undefined) throw new Error(`truth for ${year} has no dated feature`);
  return { date, features: json.features };
}

/** [west, south, east, north] of every line. */
function extentOf(lines: TruthLine[]): [number, number, number, number] {
  const box: [number, number, number, number] = [180, 90, -180, -90];
  for (const line of lines) {
    for (const f of line.features) {
      const parts = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const [lon, lat] of parts.flat() as [number, number][]) {
        box[0] = Math.min(box[0], lon);
        box[1] = Math.min(box[1], lat);
        box[2] = Math.max(box[2], lon);
        box[3] = Math.max(box[3], lat);
      }
    }
  }
  return box;
}
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');

/** Resolves once the viewer reports its first `idle` (style, sources and every visible tile loaded). */
async function waitForIdleMap(page: Page): Promise<void> {
  await page.locator('body[data-map-state="idle"]').waitFor({ state: 'attached', timeout: 30_000 });
}

describe.skipIf(!hasChromium())('viewer in headless Chromium', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let viewerDir: string;
  let browser: Browser;
  let truth: TruthLine[];

  beforeAll(async () => {
    truth = await Promise.all(YEARS.map(readTruth));
    db = await openTestDatabase();
    const site = await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
    await db.knex.transaction(async (trx) => {
      for (const line of truth) {
        await insertShorelines(trx, {
          siteId: site.id,
          sceneId: null,
          date: line.date,
          features: line.features,
        });
      }
      await bumpDataVersion(trx, site.id);
    });
    // A build of its own, through the same path `tidemark serve` takes when dist/viewer is missing.
    viewerDir = await mkdtemp(join(tmpdir(), 'tidemark-viewer-'));
    server = await startServer({
      db,
      port: 0,
      viewerDir,
      logger: pino({ level: 'warn' }, pino.destination(2)),
    });
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.dispose();
    if (viewerDir) await rm(viewerDir, { recursive: true, force: true });
  });

  it('serves index.html for revalidation and hashed assets as immutable', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await index.text();
    const assets = [...html.matchAll(/(?:href|src)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => /^assets\/main-[A-Z0-9]+\.js$/.test(a))).toBe(true);
    expect(assets.some((a) => /^assets\/style-[A-Z0-9]+\.css$/.test(a))).toBe(true);
    for (const asset of assets) {
      const res = await fetch(`${server.url}/${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${server.url}/assets/nope-123.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it('renders shorelines coloured by year, with no console errors and no request to another host', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    // The context sees requests of the page and of its workers (MapLibre fetches tiles in a worker).
    context.on('request', (req) => requests.push(req.url()));
    try {
      await page.goto(`${server.url}/`);
      await waitForIdleMap(page);

      const rendered = await page.evaluate(() => {
        const features = window.map!.queryRenderedFeatures({ layers: ['shorelines'] });
        return features.map((f) => ({
          year: f.properties.year as number,
          date: f.properties.date as string,
        }));
      });
      expect(rendered.length).toBeGreaterThan(0);
      expect([...new Set(rendered.map((f) => f.year))].sort()).toEqual(YEARS);
      expect(new Set(rendered.map((f) => f.date))).toEqual(new Set(truth.map((t) => t.date)));

      // The map fits the data: every line is in view.
      const [west, south, east, north] = extentOf(truth);
      const view = await page.evaluate(() => window.map!.getBounds().toArray());
      expect(view[0]![0]).toBeLessThanOrEqual(west);
      expect(view[0]![1]).toBeLessThanOrEqual(south);
      expect(view[1]![0]).toBeGreaterThanOrEqual(east);
      expect(view[1]![1]).toBeGreaterThanOrEqual(north);

      const legend = await page.locator('#legend li').allTextContents();
      expect(legend.map((t) => Number(t.trim()))).toEqual(YEARS);

      // Hover: find a pixel on a line the same way MapLibre's layer events do, then point at it.
      const point = await page.evaluate(() => {
        const map = window.map!;
        const canvas = map.getCanvas();
        const x = Math.round(canvas.clientWidth / 2);
        for (let y = 0; y < canvas.clientHeight; y++) {
          if (map.queryRenderedFeatures([x, y], { layers: ['shorelines'] }).length > 0) return { x, y };
        }
        return null;
      });
      expect(point).not.toBeNull();
      await page.mouse.move(point!.x, point!.y);
      await expect
        .poll(() => page.locator('.shoreline-tooltip').textContent(), { timeout: 5000 })
        .toMatch(/^Shoreline of \d{4}-\d{2}-\d{2}$/);
      const shown = (await page.locator('.shoreline-tooltip').textContent())!.slice('Shoreline of '.length);
      expect(truth.map((t) => t.date)).toContain(shown);
      await page.mouse.move(5, 5);

      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'viewer-1280x800.png') });

      expect(consoleErrors).toEqual([]);
      const origin = new URL(server.url).origin;
      const foreign = requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).origin !== origin);
      expect(foreign).toEqual([]);
      // The log really covers the worker's tile fetches, so the assertion above means something.
      expect(requests.some((url) => /\/tiles\/shorelines\/\d+\/\d+\/\d+\.mvt/.test(url))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
