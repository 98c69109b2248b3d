import type { Router, RouterContext } from '@koa/router';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../../store/db.ts';
import {
  createZone,
  deleteZone,
  getZone,
  listZones,
  updateZone,
  type Zone,
  type ZonePatch,
} from '../../store/zones.ts';
import { requireRole } from '../auth/authenticate.ts';
import { emptyQuerySchema, idParamSchema, newZoneSchema, zonePatchSchema } from '../openapi/schemas.ts';
import { readJsonBody } from '../read-json-body.ts';
import { validate } from '../validate.ts';
import { siteFromPath } from './sites.ts';

export function zoneFeature(zone: Zone) {
  return {
    type: 'Feature' as const,
    id: zone.id,
    geometry: zone.geometry,
    properties: {
      site: zone.siteSlug,
      name: zone.name,
      kind: zone.kind,
      externalId: zone.externalId,
      areaM2: zone.areaM2,
      properties: zone.properties,
      createdAt: zone.createdAt,
      updatedAt: zone.updatedAt,
    },
    links: { self: `/api/zones/${zone.id}`, site: `/api/sites/${encodeURIComponent(zone.siteSlug)}` },
  };
}

async function zoneFromPath(db: Database, ctx: RouterContext): Promise<{ id: number; zone: Zone }> {
  const id = validate(idParamSchema, ctx.params.id, 'id');
  const zone = await getZone(db, id);
  if (zone === null) throw new TidemarkError('NOT_FOUND', `no zone with id ${id}`);
  return { id, zone };
}

/**
 * Aquaculture zones: `GET/POST /api/sites/{slug}/zones`, `GET/PATCH/DELETE /api/zones/{id}`. Writes need an
 * analyst key; each bumps the site's data version, so zone tiles and caches update at once.
 */
export function registerZoneRoutes(router: Router, deps: { db: Database }): void {
  const { db } = deps;

  router.get('/api/sites/:slug/zones', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const site = await siteFromPath(db, ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = { type: 'FeatureCollection', features: (await listZones(db, site.id)).map(zoneFeature) };
  });

  router.post('/api/sites/:slug/zones', async (ctx: RouterContext) => {
    const key = requireRole(ctx, 'analyst');
    validate(emptyQuerySchema, ctx.query, 'query');
    const site = await siteFromPath(db, ctx);
    const body = validate(newZoneSchema, await readJsonBody(ctx), 'body');
    const zone = await createZone(db, {
      siteId: site.id,
      name: body.name,
      kind: body.kind,
      geometry: body.geometry,
      externalId: body.externalId ?? null,
      properties: body.properties ?? {},
      createdByKeyId: key.id,
    });
    ctx.status = 201;
    ctx.set('Location', `/api/zones/${zone.id}`);
    ctx.body = zoneFeature(zone);
  });

  router.get('/api/zones/:id', async (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    const { zone } = await zoneFromPath(db, ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = zoneFeature(zone);
  });

  router.patch('/api/zones/:id', async (ctx: RouterContext) => {
    requireRole(ctx, 'analyst');
    validate(emptyQuerySchema, ctx.query, 'query');
    const { id } = await zoneFromPath(db, ctx);
    const body = validate(zonePatchSchema, await readJsonBody(ctx), 'body');
    const patch: ZonePatch = {};
    if (body.name !== undefined) patch.name = body.name;
    if (body.kind !== undefined) patch.kind = body.kind;
    if (body.geometry !== undefined) patch.geometry = body.geometry;
    if (body.externalId !== undefined) patch.externalId = body.externalId;
    if (body.properties !== undefined) patch.properties = body.properties;
    const zone = await updateZone(db, id, patch);
    if (zone === null) throw new TidemarkError('NOT_FOUND', `no zone with id ${id}`);
    ctx.body = zoneFeature(zone);
  });

  router.delete('/api/zones/:id', async (ctx: RouterContext) => {
    requireRole(ctx, 'analyst');
    validate(emptyQuerySchema, ctx.query, 'query');
    const id = validate(idParamSchema, ctx.params.id, 'id');
    if (!(await deleteZone(db, id))) throw new TidemarkError('NOT_FOUND', `no zone with id ${id}`);
    ctx.status = 204;
  });
}
