import { z } from 'zod';
import { siteSlugSchema } from '../query-params.ts';
import { validate } from '../validate.ts';

/** The filter of the layers that are not dated (transects, forecasts, hazard, zones): `?site=`. */
export interface SiteFilter {
  site?: string;
}

const siteSchema = z.strictObject({ site: siteSlugSchema.optional() });

/** Validates `?site=`; any other parameter, or a repeated one, is a 400. */
export function parseSiteFilter(query: Record<string, string | string[] | undefined>): SiteFilter {
  const q = validate(siteSchema, query, 'query');
  return q.site === undefined ? {} : { site: q.site };
}

/** The filter back as a query string ("" or "?site=…"). */
export function siteFilterToQueryString(filter: SiteFilter): string {
  return filter.site === undefined ? '' : `?${new URLSearchParams({ site: filter.site }).toString()}`;
}
