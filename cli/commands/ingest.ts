import { basename } from 'node:path';
import { Command } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { type IngestOptions, type IngestOutcome, ingestScene } from '../../services/ingest-scene.ts';
import { readTideTable } from '../../sources/tide-table.ts';
import { type Database, openDatabase } from '../../store/db.ts';
import { getAnalysisSummary } from '../../store/site-summary.ts';
import { requireSiteBySlug } from '../../store/sites.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';
import { EXIT } from '../run-cli.ts';
import { withInterrupt } from '../with-interrupt.ts';
import { type ExtractFlags, parseExtractFlags, parseProxyFlag } from './extract.ts';

interface TideFlags {
  tides?: string;
  tide?: string;
  tideDatum?: string;
}

/** `--tide <m>` (one scene), `--tides tides.csv`, `--tide-datum`: every bad value is an INVALID_INPUT. */
export async function parseTideFlags(flags: TideFlags, sceneCount: number): Promise<Partial<IngestOptions>> {
  const out: Partial<IngestOptions> = {};
  if (flags.tide !== undefined) {
    const value = Number(flags.tide.trim());
    if (flags.tide.trim() === '' || !Number.isFinite(value) || Math.abs(value) > 20) {
      throw new TidemarkError('INVALID_INPUT', `--tide must be a tide height in metres, got "${flags.tide}"`);
    }
    if (sceneCount > 1) {
      throw new TidemarkError(
        'INVALID_INPUT',
        '--tide applies to one scene; use --tides tides.csv for several',
      );
    }
    out.tideFlagM = value;
  }
  if (flags.tides !== undefined) out.tideTable = await readTideTable(flags.tides);
  if (flags.tideDatum !== undefined) {
    if (!/^[A-Za-z0-9_.:-]{1,32}$/.test(flags.tideDatum)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `--tide-datum must be a short name such as MSL or LAT, got "${flags.tideDatum}"`,
      );
    }
    out.tideDatum = flags.tideDatum;
  }
  return out;
}

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
    .option(
      '--proxy <waterline|vegetation>',
      'shoreline proxy: the waterline (default) or the seaward vegetation edge from NDVI (needs a red band)',
    )
    .option(
      '--tides <csv>',
      'tide table, one "date-time,height_m" row per line: the tide of each scene is read from it',
    )
    .option('--tide <m>', 'tide height of the (single) scene, metres on the datum')
    .option('--tide-datum <name>', 'datum of --tide/--tides heights, e.g. MSL or LAT')
    .addHelpText(
      'after',
      '\nRe-ingesting a file already stored for the site is a no-op (matched by sha256), and so is a second\n' +
        'scene of a date the site already has for the proxy: its analysis reads each date as one shoreline.\n' +
        "A scene tide comes from --tide, else --tides, else the scene's own tide_height_m / TIDE_HEIGHT_M property.\n" +
        'Each scene is stored in its own transaction; exit code 2 means some scenes failed.',
    )
    .action(async (scenes: string[], opts: { site: string } & ExtractFlags & TideFlags) => {
      const { site, tides, tide, tideDatum, ...flags } = opts;
      const proxy = parseProxyFlag(flags);
      const { options: extractOptions } = parseExtractFlags(flags);
      const options: IngestOptions = {
        ...extractOptions,
        proxy,
        ...(await parseTideFlags({ tides, tide, tideDatum }, scenes.length)),
      };
      if (options.date !== undefined && scenes.length > 1) {
        throw new TidemarkError(
          'INVALID_INPUT',
          '--date applies to one scene; ingest dated scenes one at a time',
        );
      }
      const logger = createLogger('ingest');
      const db = await openDatabase({ logger });
      const outcomes: IngestOutcome[] = [];
      let pool: ReturnType<typeof createExtractPool> | null = null;
      try {
        // An unknown site concerns every scene: stop before extracting any of them.
        await requireSiteBySlug(db.knex, site);
        pool = createExtractPool();
        await withInterrupt(async (signal) => {
          for (const path of scenes) {
            signal.throwIfAborted();
            outcomes.push(await ingestOne(db, site, path, options, { signal, pool: pool! }));
          }
        });
        if (outcomes.some((o) => o.status === 'ingested')) await noteStaleAnalysis(db, site);
      } finally {
        await pool?.destroy();
        await db.close();
      }
      process.exitCode = exitCodeFor(outcomes);
    });
}

async function ingestOne(
  db: Awaited<ReturnType<typeof openDatabase>>,
  site: string,
  path: string,
  options: IngestOptions,
  ctx: { signal: AbortSignal; pool: ReturnType<typeof createExtractPool> },
): Promise<IngestOutcome> {
  try {
    const outcome = await ingestScene(db, site, path, options, ctx);
    if (outcome.status === 'ingested') {
      process.stdout.write(
        `ingested ${outcome.scene} (${outcome.date ?? 'no date'}): ${outcome.shorelineCount} shoreline feature(s), scene #${outcome.sceneId}\n`,
      );
    } else if (outcome.status === 'duplicate') {
      process.stdout.write(
        outcome.reason === 'same-file'
          ? `skipped ${outcome.scene}: already stored as scene #${outcome.sceneId}\n`
          : `skipped ${outcome.scene}: the site already has a ${options.proxy ?? 'waterline'} scene of that date, ` +
              `${outcome.storedAs} (scene #${outcome.sceneId}), and keeps one shoreline per date\n`,
      );
    }
    return outcome;
  } catch (err) {
    // Interrupts and unexpected failures (the database gone, say) concern every scene: stop the whole run.
    if (!(err instanceof TidemarkError) || err.code === 'ABORTED') throw err;
    // Most messages already name the file.
    const named = err.message.includes(basename(path)) ? err.message : `${path}: ${err.message}`;
    process.stderr.write(`error: ${named}\n`);
    return { scene: path, status: 'failed', error: err };
  }
}

/** After new scenes, a site whose analysis now leaves shorelines out says so, with the command to run. */
async function noteStaleAnalysis(db: Database, slug: string): Promise<void> {
  const site = await requireSiteBySlug(db.knex, slug);
  const n = (await getAnalysisSummary(db, site.id))?.newShorelineCount ?? 0;
  if (n > 0) {
    process.stderr.write(
      `note: the analysis of site ${slug} leaves out ${n} shoreline${n === 1 ? '' : 's'} stored since it was ` +
        `made: run \`tidemark analyze --site ${slug}\` to include ${n === 1 ? 'it' : 'them'}\n`,
    );
  }
}

function exitCodeFor(outcomes: IngestOutcome[]): number {
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  if (failed === 0) return EXIT.ok;
  return failed === outcomes.length ? EXIT.failure : EXIT.partial;
}
