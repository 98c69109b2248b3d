import { z } from 'zod';
import { validate } from './validate.ts';

export const MIN_YEAR = 1950;
export const MAX_YEAR = 2200;

/** Site slugs as the store creates them: lower-case words joined by single hyphens. */
export const siteSlugSchema = z
  .string('must be given once')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a slug (lower-case letters, digits and single hyphens)');

const yearSchema = z
  .string('must be given once')
  .regex(/^\d{4}$/, 'must be a four-digit year')
  .transform(Number)
  .pipe(
    z.number().min(MIN_YEAR, `must be ${MIN_YEAR} or later`).max(MAX_YEAR, `must be ${MAX_YEAR} or earlier`),
  );

/** The filters shared by the time-aware layers (shorelines, change): `?site=&from=&to=`. */
export interface SiteYearFilter {
  site?: string;
  fromYear?: number;
  toYear?: number;
}

const siteYearSchema = z
  .strictObject({ site: siteSlugSchema.optional(), from: yearSchema.optional(), to: yearSchema.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    path: ['from'],
    message: 'must not be after "to"',
  });

/** Validates `?site=&from=&to=`; any other parameter, or a repeated one, is a 400. */
export function parseSiteYearFilter(query: Record<string, string | string[] | undefined>): SiteYearFilter {
  const q = validate(siteYearSchema, query, 'query');
  const filter: SiteYearFilter = {};
  if (q.site !== undefined) filter.site = q.site;
  if (q.from !== undefined) filter.fromYear = q.from;
  if (q.to !== undefined) filter.toYear = q.to;
  return filter;
}

/** For layers that take no filters: any query parameter at all is a 400. */
export function parseNoQuery(query: Record<string, string | string[] | undefined>): void {
  validate(z.strictObject({}), query, 'query');
}

/** The filter back as a query string ("" or "?site=…"), in a fixed order so equal filters give equal URLs. */
export function siteYearFilterToQueryString(filter: SiteYearFilter): string {
  const params = new URLSearchParams();
  if (filter.site !== undefined) params.set('site', filter.site);
  if (filter.fromYear !== undefined) params.set('from', String(filter.fromYear));
  if (filter.toYear !== undefined) params.set('to', String(filter.toYear));
  const qs = params.toString();
  return qs === '' ? '' : `?${qs}`;
}
