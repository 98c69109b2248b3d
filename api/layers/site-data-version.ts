import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../../store/db.ts';
import { getDataVersion } from '../../store/sites.ts';

/**
 * The data version every tile layer keys its cache on: the site's (bumped by each ingest, analysis and zone
 * write), or a key over all sites. An unknown site is a 404.
 */
export async function siteDataVersion(db: Database, site: string | undefined): Promise<string> {
  const version = await getDataVersion(db.knex, site);
  if (version === null) throw new TidemarkError('NOT_FOUND', `Unknown site '${site}'`);
  return version;
}
