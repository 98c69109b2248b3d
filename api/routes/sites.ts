import type { Router, RouterContext } from '@koa/router';
import type { Database } from '../../store/db.ts';
import {
  type AnalysisSummary,
  getAnalysisSummary,
  getSiteContents,
  type SiteContents,
} from '../../store/site-summary.ts';
import { createSite, listSites, requireSiteBySlug, type Site } from '../../store/sites.ts';
import { requireRole } from '../auth/authenticate.ts';
import { emptyQuerySchema, newSiteSchema, siteSlugSchema } from '../openapi/schemas.ts';
import { readJsonBody } from '../read-json-body.ts';
import { validate } from '../validate.ts';

export function siteLinks(slug: string): Record<string, string> {
  const s = encodeURIComponent(slug);
  return {
    self: `/api/sites/${s}`,
    scenes: `/api/sites/${s}/scenes`,
    zones: `/api/sites/${s}/zones`,
    shorelineTiles: `/tiles/shorelines.json?site=${s}`,
  };
}

export function siteJson(site: Site, contents: SiteContents | undefined) {
  return {
    slug: site.slug,
    name: site.name,
    epsg: site.epsg,
    shorelineProxy: site.shorelineProxy,
    dataVersion: site.dataVersion,
    createdAt: site.createdAt,
    sceneCount: contents?.sceneCount ?? 0,
    years: contents?.years ?? [],
    bbox: contents?.bbox ?? null,
    links: siteLinks(site.slug),
  };
}

function siteDetailJson(site: Site, contents: SiteContents | undefined, analysis: AnalysisSummary | null) {
  return { ...siteJson(site, contents), analysis };
}

/** Reads a `{slug}` path parameter (400 unless it is a slug) and the site (404 unless it exists). */
export async function siteFromPath(db: Database, ctx: RouterContext): Promise<Site> {
  const slug = validate(siteSlugSchema, ctx.params.slug, 'slug');
  return requireSiteBySlug(db.knex, slug);
}

/** `GET /api/sites`, `GET /api/sites/{slug}` (with its analysis summary) and `POST /api/sites` (analyst). */
export function registerSiteRoutes(router: Router, deps: { db: Database }): void {
  const { db } = deps;

  router.get('/api/sites', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const sites = await listSites(db.knex);
    const contents = await getSiteContents(db, sites);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = { sites: sites.map((s) => siteJson(s, contents.get(s.id))) };
  });

  router.get('/api/sites/:slug', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const site = await siteFromPath(db, ctx);
    const contents = await getSiteContents(db, [site]);
    const analysis = await getAnalysisSummary(db, site.id);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = siteDetailJson(site, contents.get(site.id), analysis);
  });

  router.post('/api/sites', async (ctx: RouterContext) => {
    requireRole(ctx, 'analyst');
    validate(emptyQuerySchema, ctx.query, 'query');
    const body = validate(newSiteSchema, await readJsonBody(ctx), 'body');
    const site = await createSite(db.knex, {
      slug: body.slug,
      name: body.name,
      epsg: body.epsg,
      ...(body.shorelineProxy === undefined ? {} : { shorelineProxy: body.shorelineProxy }),
    });
    ctx.status = 201;
    ctx.set('Location', siteLinks(site.slug).self!);
    ctx.body = siteDetailJson(site, undefined, null);
  });
}
