import { TidemarkError } from '../common/errors.ts';
import type { Queryable } from './queryable.ts';

export type ShorelineProxy = 'waterline' | 'vegetation';

export interface Site {
  id: number;
  slug: string;
  name: string;
  /** Metric CRS used for every measurement of this site, e.g. 32648. */
  epsg: number;
  shorelineProxy: ShorelineProxy;
  /** Bumped by every write readers can see; tile caches key on it. */
  dataVersion: number;
  createdAt: Date;
}

export interface NewSite {
  slug: string;
  name: string;
  epsg: number;
  shorelineProxy?: ShorelineProxy;
}

export const SITE_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

const COLUMNS = ['id', 'slug', 'name', 'epsg', 'shoreline_proxy', 'data_version', 'created_at'];

interface SiteRow {
  id: number;
  slug: string;
  name: string;
  epsg: number;
  shoreline_proxy: ShorelineProxy;
  data_version: number;
  created_at: Date;
}

function toSite(row: SiteRow): Site {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    epsg: row.epsg,
    shorelineProxy: row.shoreline_proxy,
    dataVersion: row.data_version,
    createdAt: row.created_at,
  };
}

export async function getSiteBySlug(db: Queryable, slug: string): Promise<Site | null> {
  const row = (await db('sites').select(COLUMNS).where({ slug }).first()) as SiteRow | undefined;
  return row ? toSite(row) : null;
}

export async function getSiteById(db: Queryable, id: number): Promise<Site | null> {
  const row = (await db('sites').select(COLUMNS).where({ id }).first()) as SiteRow | undefined;
  return row ? toSite(row) : null;
}

/** Like getSiteBySlug, but an unknown slug is a NOT_FOUND error that lists the sites that do exist. */
export async function requireSiteBySlug(db: Queryable, slug: string): Promise<Site> {
  const site = await getSiteBySlug(db, slug);
  if (site) return site;
  const known = (await listSites(db)).map((s) => s.slug);
  throw new TidemarkError(
    'NOT_FOUND',
    `unknown site '${slug}' (${known.length > 0 ? `known sites: ${known.join(', ')}` : 'no sites exist yet'})`,
    { details: { site: slug } },
  );
}

export async function listSites(db: Queryable): Promise<Site[]> {
  const rows = (await db('sites').select(COLUMNS).orderBy('slug')) as SiteRow[];
  return rows.map(toSite);
}

/**
 * Creates a site. The slug must be URL-safe and the EPSG code a projected CRS in metres that PostGIS
 * knows, since every length, distance and area of the site is measured in it. A taken slug is CONFLICT.
 */
export async function createSite(db: Queryable, site: NewSite): Promise<Site> {
  await validateNewSite(db, site);
  const rows = await db.raw<{ rows: SiteRow[] }>(
    `INSERT INTO sites (slug, name, epsg, shoreline_proxy) VALUES (?, ?, ?, ?)
     ON CONFLICT (slug) DO NOTHING
     RETURNING ${COLUMNS.join(', ')}`,
    [site.slug, site.name, site.epsg, site.shorelineProxy ?? 'waterline'],
  );
  const row = rows.rows[0];
  if (!row)
    throw new TidemarkError('CONFLICT', `site '${site.slug}' already exists`, {
      details: { site: site.slug },
    });
  return toSite(row);
}

/**
 * Returns the site with this slug, creating it if missing. An existing site is returned as it is, even
 * if its name or EPSG differ from the ones given (the stored definition wins).
 */
export async function ensureSite(db: Queryable, site: NewSite): Promise<Site> {
  const existing = await getSiteBySlug(db, site.slug);
  if (existing) return existing;
  try {
    return await createSite(db, site);
  } catch (err) {
    // Created by another process between the two statements.
    if (err instanceof TidemarkError && err.code === 'CONFLICT') {
      const raced = await getSiteBySlug(db, site.slug);
      if (raced) return raced;
    }
    throw err;
  }
}

/**
 * Marks the site's data as changed (call it in the same transaction as the write) and returns the new
 * version. Versions come from one sequence, so they are unique across sites.
 */
export async function bumpDataVersion(db: Queryable, siteId: number): Promise<number> {
  const { rows } = await db.raw<{ rows: { data_version: number }[] }>(
    "UPDATE sites SET data_version = nextval('data_version_seq') WHERE id = ? RETURNING data_version",
    [siteId],
  );
  const row = rows[0];
  if (!row) throw new TidemarkError('NOT_FOUND', `site #${siteId} does not exist`);
  return row.data_version;
}

/**
 * A cache key for "the data as readers see it": one site's version, or, without a slug, a key over all
 * sites that changes when any site's data changes or a site is added or removed. Unknown slug → null.
 */
export async function getDataVersion(db: Queryable, slug?: string): Promise<string | null> {
  if (slug !== undefined) {
    const row = (await db('sites').select('data_version').where({ slug }).first()) as SiteRow | undefined;
    return row ? String(row.data_version) : null;
  }
  const { rows } = await db.raw<{ rows: { max: number | null; count: number }[] }>(
    'SELECT max(data_version) AS max, count(*) AS count FROM sites',
  );
  const row = rows[0];
  return `${row?.max ?? 0}:${row?.count ?? 0}`;
}

async function validateNewSite(db: Queryable, site: NewSite): Promise<void> {
  if (typeof site.slug !== 'string' || !SITE_SLUG_PATTERN.test(site.slug)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid site slug '${String(site.slug)}': use 1–63 lowercase letters, digits or hyphens, starting with a letter or digit`,
    );
  }
  if (typeof site.name !== 'string' || site.name.trim().length === 0 || site.name.length > 200) {
    throw new TidemarkError('INVALID_INPUT', 'a site name must be 1–200 characters');
  }
  if (
    site.shorelineProxy !== undefined &&
    site.shorelineProxy !== 'waterline' &&
    site.shorelineProxy !== 'vegetation'
  ) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid shoreline proxy '${String(site.shorelineProxy)}': use waterline or vegetation`,
    );
  }
  if (!Number.isInteger(site.epsg) || site.epsg <= 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid EPSG code '${String(site.epsg)}': expected a positive integer`,
    );
  }
  const { rows } = await db.raw<{ rows: { proj4text: string }[] }>(
    'SELECT proj4text FROM spatial_ref_sys WHERE srid = ?',
    [site.epsg],
  );
  const proj4text = rows[0]?.proj4text;
  if (proj4text === undefined) {
    throw new TidemarkError('INVALID_INPUT', `EPSG:${site.epsg} is not a CRS known to PostGIS`);
  }
  // Distances and areas are measured in this CRS: it must be projected, in metres.
  if (!/\+units=m\b/.test(proj4text) || /\+proj=longlat\b/.test(proj4text)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `EPSG:${site.epsg} is not a projected CRS in metres; use one such as 32648 (UTM zone 48N)`,
    );
  }
}

/** A site's tide-correction settings (sites.beach_slope, sites.tide_reference_m), null when unset. */
export interface SiteTideSettings {
  /** Beach or mudflat slope tanβ. */
  beachSlope: number | null;
  /** Reference level z_ref on the tide datum, metres. */
  tideReferenceM: number | null;
}

export async function getSiteTideSettings(db: Queryable, siteId: number): Promise<SiteTideSettings> {
  const row = (await db('sites').select('beach_slope', 'tide_reference_m').where({ id: siteId }).first()) as
    | { beach_slope: number | null; tide_reference_m: number | null }
    | undefined;
  if (!row) throw new TidemarkError('NOT_FOUND', `no site with id ${siteId}`);
  return { beachSlope: row.beach_slope, tideReferenceM: row.tide_reference_m };
}

/** Sets the given settings (an omitted field is left as it is); bad values are INVALID_INPUT. */
export async function setSiteTideSettings(
  db: Queryable,
  siteId: number,
  settings: Partial<SiteTideSettings>,
): Promise<void> {
  const update: Record<string, number | null> = {};
  if (settings.beachSlope !== undefined) {
    const s = settings.beachSlope;
    if (s !== null && !(typeof s === 'number' && s > 0 && s <= 1)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `beach slope tanβ must be a number in (0, 1], got ${String(s)}`,
      );
    }
    update.beach_slope = s;
  }
  if (settings.tideReferenceM !== undefined) {
    const z = settings.tideReferenceM;
    if (z !== null && !(typeof z === 'number' && Number.isFinite(z) && Math.abs(z) <= 20)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `tide reference level must be a number of metres, got ${String(z)}`,
      );
    }
    update.tide_reference_m = z;
  }
  if (Object.keys(update).length === 0) return;
  const changed = await db('sites').where({ id: siteId }).update(update);
  if (changed === 0) throw new TidemarkError('NOT_FOUND', `no site with id ${siteId}`);
}
