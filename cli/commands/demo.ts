import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { startServer } from '../../api/server.ts';
import { createLogger } from '../../common/logger.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import { openDatabase } from '../../store/db.ts';
import { ensureSite } from '../../store/sites.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';
import { parsePort } from '../parse-port.ts';
import { waitForShutdown } from '../wait-for-shutdown.ts';
import { withInterrupt } from '../with-interrupt.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/scenes/', import.meta.url));
export const DEMO_SITE = { slug: 'ca-mau', name: 'Ca Mau (synthetic fixture coast)', epsg: 32648 } as const;

export function demoCommand(): Command {
  return new Command('demo')
    .description('Ingest the bundled Ca Mau fixture series (once) and serve the viewer')
    .option('--port <port>', 'HTTP port (env PORT)', parsePort, Number(process.env.PORT ?? 8080))
    .option('--host <host>', 'interface to listen on', process.env.HOST ?? '127.0.0.1')
    .addHelpText(
      'after',
      '\nUses DATABASE_URL when set, otherwise the embedded database in TIDEMARK_DATA_DIR (default ./.tidemark).\n' +
        'A second run reuses the stored data: scenes already stored are recognised by their sha256.',
    )
    .action(async (opts: { port: number; host: string }) => {
      const logger = createLogger('demo');
      const db = await openDatabase({ logger });
      try {
        await withInterrupt((signal) => ingestFixtures(db, signal, logger));
        const server = await startServer({ db, port: opts.port, host: opts.host, logger, buildViewer: true });
        process.stdout.write(`Tidemark demo: open ${server.url}\n`);
        await waitForShutdown();
        await server.close();
      } finally {
        await db.close();
      }
    });
}

async function ingestFixtures(
  db: Awaited<ReturnType<typeof openDatabase>>,
  signal: AbortSignal,
  logger: ReturnType<typeof createLogger>,
): Promise<void> {
  await ensureSite(db.knex, DEMO_SITE);
  const scenes = (await readdir(FIXTURE_DIR)).filter((f) => f.endsWith('.tif')).sort();
  const pool = createExtractPool();
  try {
    for (const file of scenes) {
      const outcome = await ingestScene(db, DEMO_SITE.slug, FIXTURE_DIR + file, {}, { signal, pool });
      if (outcome.status === 'ingested')
        logger.info({ scene: file, date: outcome.date }, 'ingested fixture scene');
    }
  } finally {
    await pool.destroy();
  }
  logger.info({ scenes: scenes.length, site: DEMO_SITE.slug }, 'fixture series stored');
}
