import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { startServer } from '../../api/server.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import { pondFarmsOfSeries } from '../../fixtures/pond-farms.ts';
import { analyzeSite } from '../../services/analyze-site.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import { getSiteAnalysis } from '../../store/analysis-reads.ts';
import { type Database, openDatabase } from '../../store/db.ts';
import { ensureSite, type Site } from '../../store/sites.ts';
import { createZones, listZones } from '../../store/zones.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';
import { parsePort } from '../parse-port.ts';
import { waitForShutdown } from '../wait-for-shutdown.ts';
import { withInterrupt } from '../with-interrupt.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/scenes/', import.meta.url));
export const DEMO_SITE = { slug: 'ca-mau', name: 'Ca Mau (synthetic fixture coast)', epsg: 32648 } as const;

export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'Ingest the bundled Ca Mau fixture series (once), analyse it, add its shrimp farms as zones, and serve the viewer',
    )
    .option('--port <port>', 'HTTP port (env PORT)', parsePort, Number(process.env.PORT ?? 8080))
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .addHelpText(
      'after',
      '\nUses DATABASE_URL when set, otherwise the embedded database in TIDEMARK_DATA_DIR (default ./.tidemark).\n' +
        'A second run reuses the stored data: scenes already stored are recognised by their sha256, and the site is\n' +
        "analysed again only when a scene was added. Sample zones (the fixture's shrimp farms) are added whenever\n" +
        'the demo site has none.',
    )
    .action(async (opts: { port: number; host: string }) => {
      const logger = createLogger('demo');
      const db = await openDatabase({ logger });
      try {
        await withInterrupt(async (signal) => {
          const site = await ensureSite(db.knex, DEMO_SITE);
          const ingested = await ingestFixtures(db, signal, logger);
          await addSampleZones(db, site, logger);
          if (ingested > 0 || (await getSiteAnalysis(db, site.id)) === null) {
            const summary = await analyzeSite(db, DEMO_SITE.slug, {}, { signal });
            logger.info(
              {
                site: DEMO_SITE.slug,
                analysis: summary.analysisId,
                transects: summary.counts.transects,
                dates: summary.dates.count,
              },
              'fixture site analysed',
            );
          }
        });
        const server = await startServer({ db, port: opts.port, host: opts.host, logger, buildViewer: true });
        process.stdout.write(`Tidemark demo: open ${server.url}\n`);
        await waitForShutdown();
        await server.close();
      } finally {
        await db.close();
      }
    });
}

/** Stores the fixture scenes not stored yet; returns how many were added. */
async function ingestFixtures(db: Database, signal: AbortSignal, logger: Logger): Promise<number> {
  const scenes = (await readdir(FIXTURE_DIR)).filter((f) => f.endsWith('.tif')).sort();
  let ingested = 0;
  const pool = createExtractPool();
  try {
    for (const file of scenes) {
      const outcome = await ingestScene(db, DEMO_SITE.slug, FIXTURE_DIR + file, {}, { signal, pool });
      if (outcome.status === 'ingested') {
        ingested += 1;
        logger.info({ scene: file, date: outcome.date }, 'ingested fixture scene');
      }
    }
  } finally {
    await pool.destroy();
  }
  logger.info({ scenes: scenes.length, site: DEMO_SITE.slug }, 'fixture series stored');
  return ingested;
}

/** The fixture coast's shrimp farms as the demo site's aquaculture zones, when it has none (all or none). */
async function addSampleZones(db: Database, site: Site, logger: Logger): Promise<void> {
  if ((await listZones(db, site.id)).length > 0) return;
  const zones = await createZones(db, site.id, await pondFarmsOfSeries(FIXTURE_DIR));
  logger.info({ site: site.slug, zones: zones.length }, 'sample aquaculture zones added');
}
