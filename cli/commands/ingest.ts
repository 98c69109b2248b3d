import { Command } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { ExtractOptions } from '../../services/extract-scene.ts';
import { type IngestOutcome, ingestScene } from '../../services/ingest-scene.ts';
import { openDatabase } from '../../store/db.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';
import { EXIT } from '../run-cli.ts';
import { withInterrupt } from '../with-interrupt.ts';
import { type ExtractFlags, parseExtractFlags } from './extract.ts';

export function ingestCommand(): Command {
  return new Command('ingest')
    .description('Extract the shoreline of each scene and store scene and shorelines in the database')
    .requiredOption('--site <slug>', 'site to ingest into (must exist: see `tidemark site create`)')
    .argument('<scenes...>', 'GeoTIFF scene files')
    .option(
      '--bands <map>',
      'band numbers (1-based), e.g. green=3,nir=8,swir16=11; default: band descriptions',
    )
    .option('--date <YYYY-MM-DD>', 'acquisition date (only with a single scene); default: from metadata')
    .option('--index <name>', 'water index: mndwi (default with SWIR), ndwi, …')
    .option('--threshold <otsu|number>', 'water index threshold', 'otsu')
    .option('--min-length <metres>', 'drop shoreline pieces shorter than this', '200')
    .addHelpText(
      'after',
      '\nRe-ingesting a file already stored for the site is a no-op (matched by sha256).\n' +
        'Each scene is stored in its own transaction; exit code 2 means some scenes failed.',
    )
    .action(async (scenes: string[], opts: { site: string } & ExtractFlags) => {
      const { site, ...flags } = opts;
      const { options } = parseExtractFlags(flags);
      if (options.date !== undefined && scenes.length > 1) {
        throw new TidemarkError(
          'INVALID_INPUT',
          '--date applies to one scene; ingest dated scenes one at a time',
        );
      }
      const logger = createLogger('ingest');
      const db = await openDatabase({ logger });
      const pool = createExtractPool();
      const outcomes: IngestOutcome[] = [];
      try {
        await withInterrupt(async (signal) => {
          for (const path of scenes) {
            signal.throwIfAborted();
            outcomes.push(await ingestOne(db, site, path, options, { signal, pool }));
          }
        });
      } finally {
        await pool.destroy();
        await db.close();
      }
      process.exitCode = exitCodeFor(outcomes);
    });
}

async function ingestOne(
  db: Awaited<ReturnType<typeof openDatabase>>,
  site: string,
  path: string,
  options: ExtractOptions,
  ctx: { signal: AbortSignal; pool: ReturnType<typeof createExtractPool> },
): Promise<IngestOutcome> {
  try {
    const outcome = await ingestScene(db, site, path, options, ctx);
    if (outcome.status === 'ingested') {
      process.stdout.write(
        `ingested ${outcome.scene} (${outcome.date ?? 'no date'}): ${outcome.shorelineCount} shoreline feature(s), scene #${outcome.sceneId}\n`,
      );
    } else if (outcome.status === 'duplicate') {
      process.stdout.write(`skipped ${outcome.scene}: already stored as scene #${outcome.sceneId}\n`);
    }
    return outcome;
  } catch (err) {
    // Site errors and interrupts concern every scene: stop the whole run.
    if (!(err instanceof TidemarkError) || err.code === 'NOT_FOUND' || err.code === 'ABORTED') throw err;
    process.stderr.write(`error: ${path}: ${err.message}\n`);
    return { scene: path, status: 'failed', error: err };
  }
}

function exitCodeFor(outcomes: IngestOutcome[]): number {
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  if (failed === 0) return EXIT.ok;
  return failed === outcomes.length ? EXIT.failure : EXIT.partial;
}
