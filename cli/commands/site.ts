import { Command, InvalidArgumentError, Option } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase } from '../../store/db.ts';
import { type AnalysisSummary, getAnalysisSummary, getSiteContents } from '../../store/site-summary.ts';
import { createSite, getSiteBySlug, listSites, setSiteTideSettings } from '../../store/sites.ts';

export function parseSlope(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError('expected a slope tanβ in (0, 1], e.g. 0.001 for 1:1000');
  return n;
}

export function parseLevel(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > 20)
    throw new InvalidArgumentError('expected a level in metres, e.g. 0');
  return n;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseSlug(value: string): string {
  if (!SLUG.test(value)) {
    throw new InvalidArgumentError(
      'a slug is 1–63 lowercase letters, digits or hyphens, starting with a letter or digit',
    );
  }
  return value;
}

export function parseMetricEpsg(value: string): number {
  const epsg = Number(value);
  // Measurements need metres: UTM north/south zones are the usual choice for a coastal site.
  if (!Number.isInteger(epsg) || epsg <= 0 || epsg === 4326) {
    throw new InvalidArgumentError('expected the EPSG code of a metric CRS, e.g. 32648 (UTM 48N)');
  }
  return epsg;
}

export function siteCommand(): Command {
  const site = new Command('site').description(
    'Create and list sites (a stretch of coast analysed together)',
  );
  site
    .command('create')
    .description('Create a site')
    .argument('<slug>', 'short id used in URLs and commands, e.g. ca-mau', parseSlug)
    .option('--name <name>', 'display name (defaults to the slug)')
    .option('--epsg <code>', 'metric CRS used for measurements', parseMetricEpsg, 32648)
    .addOption(
      new Option('--proxy <proxy>', 'default shoreline proxy of the site (default waterline)').choices([
        'waterline',
        'vegetation',
      ]),
    )
    .option('--slope <tanβ>', 'beach or mudflat slope, for tide correction (e.g. 0.001)', parseSlope)
    .option('--z-ref <m>', 'reference level of the tide correction on the tide datum (default 0)', parseLevel)
    .action(
      async (
        slug: string,
        opts: {
          name?: string;
          epsg: number;
          proxy?: 'waterline' | 'vegetation';
          slope?: number;
          zRef?: number;
        },
      ) => {
        const db = await openDatabase({ logger: createLogger('site') });
        try {
          if (await getSiteBySlug(db.knex, slug))
            throw new TidemarkError('CONFLICT', `site '${slug}' already exists`);
          const created = await db.knex.transaction(async (trx) => {
            const site = await createSite(trx, {
              slug,
              name: opts.name ?? slug,
              epsg: opts.epsg,
              ...(opts.proxy ? { shorelineProxy: opts.proxy } : {}),
            });
            await setSiteTideSettings(trx, site.id, {
              ...(opts.slope !== undefined ? { beachSlope: opts.slope } : {}),
              ...(opts.zRef !== undefined ? { tideReferenceM: opts.zRef } : {}),
            });
            return site;
          });
          process.stdout.write(`created site ${slug} (EPSG:${opts.epsg}, ${created.shorelineProxy})\n`);
        } finally {
          await db.close();
        }
      },
    );
  site
    .command('list')
    .description('List sites: slug, name, CRS, scenes stored, and whether the analysis is up to date')
    .action(async () => {
      const db = await openDatabase({ logger: createLogger('site') });
      try {
        const sites = await listSites(db.knex);
        const contents = await getSiteContents(db, sites);
        for (const s of sites) {
          const scenes = contents.get(s.id)?.sceneCount ?? 0;
          const analysis = analysisStatus(s.slug, await getAnalysisSummary(db, s.id));
          process.stdout.write(
            `${s.slug}\t${s.name}\tEPSG:${s.epsg}\t${scenes} scene${scenes === 1 ? '' : 's'}\t${analysis}\n`,
          );
        }
      } finally {
        await db.close();
      }
    });
  return site;
}

/** One line on a site's analysis: whether there is one, and whether shorelines stored since are missing. */
function analysisStatus(slug: string, a: AnalysisSummary | null): string {
  if (a === null) return 'not analysed';
  const made = `analysed ${a.createdAt.toISOString().slice(0, 10)} (${a.dateFirst} → ${a.dateLast})`;
  const n = a.newShorelineCount;
  if (n === null) return made;
  if (n === 0) return `${made}, up to date`;
  return `${made}, ${n} shoreline${n === 1 ? '' : 's'} stored since, not in it: run tidemark analyze --site ${slug}`;
}
