import type { Router, RouterContext } from '@koa/router';
import { MEDIA } from '../ogc/ogc-vocabulary.ts';
import { buildOpenApiDocument, type OpenApiOptions } from '../openapi/openapi-document.ts';
import { emptyQuerySchema } from '../openapi/schemas.ts';
import { validate } from '../validate.ts';

/** `GET /openapi.json`: the OpenAPI 3.0 document of the whole API (built once per app). */
export function registerOpenApiRoute(router: Router, opts: OpenApiOptions): void {
  let body: string | null = null;
  router.get('/openapi.json', (ctx: RouterContext) => {
    validate(emptyQuerySchema, ctx.query, 'query');
    body ??= JSON.stringify(buildOpenApiDocument(opts));
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = MEDIA.openapi;
    ctx.body = body;
  });
}
