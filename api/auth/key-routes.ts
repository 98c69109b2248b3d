import type { Router, RouterContext } from '@koa/router';
import { z } from 'zod';
import { type ApiKey, createApiKey, listApiKeys, revokeApiKey } from '../../store/api-keys.ts';
import type { Database } from '../../store/db.ts';
import { idParamSchema, newKeySchema } from '../openapi/schemas.ts';
import { readJsonBody } from '../read-json-body.ts';
import { validate } from '../validate.ts';
import { requireRole } from './authenticate.ts';

/** A key as the API shows it (never the secret or its hash). */
export function keyJson(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: `tmk_${key.prefix}_`,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    createdByKeyId: key.createdByKeyId,
  };
}

function noQuery(ctx: RouterContext): void {
  validate(z.strictObject({}), ctx.query, 'query');
}

/** `POST/GET /api/keys`, `DELETE /api/keys/{id}`: admins manage keys; a new key's secret is shown once. */
export function registerKeyRoutes(router: Router, deps: { db: Database }): void {
  router.post('/api/keys', async (ctx: RouterContext) => {
    const admin = requireRole(ctx, 'admin');
    noQuery(ctx);
    const body = validate(newKeySchema, await readJsonBody(ctx), 'body');
    const { key, apiKey } = await createApiKey(deps.db.knex, {
      role: body.role,
      ...(body.name === undefined ? {} : { name: body.name }),
      createdByKeyId: admin.id,
    });
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Location', `/api/keys/${apiKey.id}`);
    ctx.body = { key, apiKey: keyJson(apiKey) };
  });

  router.get('/api/keys', async (ctx: RouterContext) => {
    requireRole(ctx, 'admin');
    noQuery(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { keys: (await listApiKeys(deps.db)).map(keyJson) };
  });

  router.delete('/api/keys/:id', async (ctx: RouterContext) => {
    requireRole(ctx, 'admin');
    noQuery(ctx);
    const id = validate(idParamSchema, ctx.params.id, 'id');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { apiKey: keyJson(await revokeApiKey(deps.db, id)) };
  });
}
