import { asRecord, getJson, numberOrNull, requiredNumber, requiredString } from './http-json.ts';

/** A site as `GET /api/sites` lists it (api/routes/sites.ts), reduced to what the viewer uses. */
export interface SiteInfo {
  slug: string;
  name: string;
  /** Years with a stored shoreline, ascending. */
  years: number[];
  /** CRS84 [west, south, east, north] of its shorelines; null before the first ingest. */
  bbox: [number, number, number, number] | null;
}

/** The headline numbers of a site's current analysis (`analysis` of `GET /api/sites/{slug}`). */
export interface SiteAnalysis {
  dateFirst: string;
  dateLast: string;
  transectCount: number;
  transectsWithRate: number;
  erodingKm: number | null;
  accretingKm: number | null;
  stableKm: number | null;
  meanLrrMPerYr: number | null;
  worstLrrMPerYr: number | null;
  worstTransectId: number | null;
  /** Shorelines stored since the analysis was made, not in its results (null: not known). */
  newShorelineCount: number | null;
}

export interface SiteDetail extends SiteInfo {
  analysis: SiteAnalysis | null;
}

function parseBbox(value: unknown, what: string): [number, number, number, number] | null {
  if (value === null || value === undefined) return null;
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    !value.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw new Error(`${what}.bbox is not [west, south, east, north]`);
  }
  const [w, s, e, n] = value as number[];
  if (w! > e! || s! > n!) throw new Error(`${what}.bbox is inverted`);
  return [w!, s!, e!, n!];
}

function parseYears(value: unknown, what: string): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) {
    throw new Error(`${what}.years is not a list of years`);
  }
  return [...(value as number[])].sort((a, b) => a - b);
}

export function parseSiteInfo(json: unknown): SiteInfo {
  const site = asRecord(json, 'site');
  const what = `site ${String(site.slug)}`;
  return {
    slug: requiredString(site, 'slug', 'site'),
    name: requiredString(site, 'name', what),
    years: parseYears(site.years, what),
    bbox: parseBbox(site.bbox, what),
  };
}

/** `GET /api/sites` → its sites, in the API's order. */
export function parseSiteList(json: unknown): SiteInfo[] {
  const body = asRecord(json, 'site list');
  if (!Array.isArray(body.sites)) throw new Error('site list has no sites array');
  return body.sites.map(parseSiteInfo);
}

function parseAnalysis(json: unknown): SiteAnalysis | null {
  if (json === null || json === undefined) return null;
  const a = asRecord(json, 'analysis');
  return {
    dateFirst: requiredString(a, 'dateFirst', 'analysis'),
    dateLast: requiredString(a, 'dateLast', 'analysis'),
    transectCount: requiredNumber(a, 'transectCount', 'analysis'),
    transectsWithRate: requiredNumber(a, 'transectsWithRate', 'analysis'),
    erodingKm: numberOrNull(a, 'erodingKm', 'analysis'),
    accretingKm: numberOrNull(a, 'accretingKm', 'analysis'),
    stableKm: numberOrNull(a, 'stableKm', 'analysis'),
    meanLrrMPerYr: numberOrNull(a, 'meanLrrMPerYr', 'analysis'),
    worstLrrMPerYr: numberOrNull(a, 'worstLrrMPerYr', 'analysis'),
    worstTransectId: numberOrNull(a, 'worstTransectId', 'analysis'),
    newShorelineCount: numberOrNull(a, 'newShorelineCount', 'analysis'),
  };
}

/** `GET /api/sites/{slug}` → the site and its analysis summary (null before the first `analyze`). */
export function parseSiteDetail(json: unknown): SiteDetail {
  const body = asRecord(json, 'site');
  return { ...parseSiteInfo(body), analysis: parseAnalysis(body.analysis) };
}

export async function fetchSites(): Promise<SiteInfo[]> {
  return parseSiteList(await getJson('api/sites'));
}

export async function fetchSiteDetail(slug: string, signal?: AbortSignal): Promise<SiteDetail> {
  return parseSiteDetail(await getJson(`api/sites/${encodeURIComponent(slug)}`, signal ? { signal } : {}));
}
