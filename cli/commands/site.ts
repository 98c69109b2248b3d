import { Command, InvalidArgumentError } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase } from '../../store/db.ts';
import { createSite, getSiteBySlug, listSites } from '../../store/sites.ts';

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
    .action(async (slug: string, opts: { name?: string; epsg: number }) => {
      const db = await openDatabase({ logger: createLogger('site') });
      try {
        if (await getSiteBySlug(db.knex, slug))
          throw new TidemarkError('CONFLICT', `site '${slug}' already exists`);
        await createSite(db.knex, { slug, name: opts.name ?? slug, epsg: opts.epsg });
        process.stdout.write(`created site ${slug} (EPSG:${opts.epsg})\n`);
      } finally {
        await db.close();
      }
    });
  site
    .command('list')
    .description('List sites')
    .action(async () => {
      const db = await openDatabase({ logger: createLogger('site') });
      try {
        for (const s of await listSites(db.knex))
          process.stdout.write(`${s.slug}\t${s.name}\tEPSG:${s.epsg}\n`);
      } finally {
        await db.close();
      }
    });
  return site;
}
