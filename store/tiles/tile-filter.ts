import { TidemarkError } from '../../common/errors.ts';

/** Every layer can be narrowed to one site. An unknown slug gives empty tiles (the API checks it exists). */
export interface SiteTileFilter {
  site?: string;
}

/** Time-aware layers (shorelines, change) also take a year range, both ends included. */
export interface SiteYearTileFilter extends SiteTileFilter {
  fromYear?: number;
  toYear?: number;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;

/** Throws INVALID_INPUT unless `site` is absent or a string. */
export function checkSiteFilter(filter: SiteTileFilter): void {
  if (filter.site !== undefined && typeof filter.site !== 'string') {
    throw new TidemarkError('INVALID_INPUT', 'site must be a slug');
  }
}

/** Throws INVALID_INPUT for a bad site, a year outside 1900–2200 or not an integer, or from after to. */
export function checkSiteYearFilter(filter: SiteYearTileFilter): void {
  checkSiteFilter(filter);
  checkYear('fromYear', filter.fromYear);
  checkYear('toYear', filter.toYear);
  if (filter.fromYear !== undefined && filter.toYear !== undefined && filter.fromYear > filter.toYear) {
    throw new TidemarkError('INVALID_INPUT', `fromYear ${filter.fromYear} is after toYear ${filter.toYear}`);
  }
}

function checkYear(name: string, year: number | undefined): void {
  if (year === undefined) return;
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid ${name} ${String(year)}: expected a year from ${MIN_YEAR} to ${MAX_YEAR}`,
    );
  }
}
