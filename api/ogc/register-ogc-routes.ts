import type { Router, RouterContext } from '@koa/router';
import { TidemarkError } from '../../common/errors.ts';
import type { Database } from '../../store/db.ts';
import { getCollectionExtent } from '../../store/features/collection-extent.ts';
import { listFeatureCollections, requireFeatureSource } from '../../store/features/feature-sources.ts';
import { getFeature, queryFeatures } from '../../store/features/query-features.ts';
import { publicBaseUrl } from '../public-base-url.ts';
import { buildCollection, buildCollections } from './collection-documents.ts';
import { buildFeature, buildFeatureCollection } from './feature-documents.ts';
import { buildFeatureSchema, SCHEMA_MEDIA_TYPE } from './feature-schema.ts';
import { parseFormatQuery, parseItemsQuery, type RawQuery } from './items-query.ts';
import { buildLandingPage, landingPageHtml } from './landing-page.ts';
import { CONFORMANCE_CLASSES, MEDIA } from './ogc-vocabulary.ts';
import { buildOpenApiDocument } from './openapi-document.ts';
import { sendOgcBody } from './send-ogc-body.ts';

export interface OgcRouteDeps {
  db: Database;
  /** Fixed public origin for absolute links; otherwise taken from the request (see publicBaseUrl). */
  publicUrl?: string;
}

/** The definition and conformance only change with a deployment: clients may keep them a while. */
const STATIC_CACHE_CONTROL = 'public, max-age=300';

const FEATURE_ID = /^\d{1,15}$/;

/** Feature ids are integers; anything else names no feature (404, as for an unknown id). */
function parseFeatureId(collectionId: string, raw: string | undefined): number {
  if (raw !== undefined && FEATURE_ID.test(raw)) return Number(raw);
  throw new TidemarkError('NOT_FOUND', `No feature '${String(raw)}' in collection '${collectionId}'`);
}

/**
 * OGC API - Features - Part 1: Core under `/ogc`: landing page, conformance, OpenAPI definition, collections
 * and their items as GeoJSON. Every endpoint refuses unknown query parameters with a 400 problem.
 */
export function registerOgcRoutes(router: Router, deps: OgcRouteDeps): void {
  const baseUrlOf = (ctx: RouterContext) => `${publicBaseUrl(ctx, deps.publicUrl)}/ogc`;
  const query = (ctx: RouterContext) => ctx.query as RawQuery;

  router.get('/ogc', async (ctx) => {
    const format = parseFormatQuery(query(ctx), ['json', 'html'] as const);
    const page = buildLandingPage(baseUrlOf(ctx));
    ctx.vary('Accept');
    const html =
      format === 'html' || (format === undefined && ctx.accepts(MEDIA.json, MEDIA.html) === MEDIA.html);
    if (html) await sendOgcBody(ctx, landingPageHtml(page), MEDIA.html, STATIC_CACHE_CONTROL);
    else await sendOgcBody(ctx, page, MEDIA.json, STATIC_CACHE_CONTROL);
  });

  router.get('/ogc/conformance', async (ctx) => {
    parseFormatQuery(query(ctx), ['json'] as const);
    await sendOgcBody(ctx, { conformsTo: CONFORMANCE_CLASSES }, MEDIA.json, STATIC_CACHE_CONTROL);
  });

  router.get('/ogc/api', async (ctx) => {
    parseFormatQuery(query(ctx), ['json'] as const);
    const doc = buildOpenApiDocument(listFeatureCollections(), baseUrlOf(ctx));
    await sendOgcBody(ctx, doc, MEDIA.openapi, STATIC_CACHE_CONTROL);
  });

  router.get('/ogc/collections', async (ctx) => {
    parseFormatQuery(query(ctx), ['json'] as const);
    const baseUrl = baseUrlOf(ctx);
    const docs = [];
    for (const info of listFeatureCollections()) {
      docs.push(buildCollection(info, await getCollectionExtent(deps.db, info.id), baseUrl));
    }
    await sendOgcBody(ctx, buildCollections(docs, baseUrl), MEDIA.json);
  });

  router.get('/ogc/collections/:collectionId', async (ctx) => {
    const { info } = requireFeatureSource(ctx.params.collectionId ?? '');
    parseFormatQuery(query(ctx), ['json'] as const);
    const extent = await getCollectionExtent(deps.db, info.id);
    await sendOgcBody(ctx, buildCollection(info, extent, baseUrlOf(ctx)), MEDIA.json);
  });

  router.get('/ogc/collections/:collectionId/schema', async (ctx) => {
    const { info } = requireFeatureSource(ctx.params.collectionId ?? '');
    parseFormatQuery(query(ctx), ['json'] as const);
    await sendOgcBody(ctx, buildFeatureSchema(info, baseUrlOf(ctx)), SCHEMA_MEDIA_TYPE, STATIC_CACHE_CONTROL);
  });

  router.get('/ogc/collections/:collectionId/items', async (ctx) => {
    const { info } = requireFeatureSource(ctx.params.collectionId ?? '');
    const items = parseItemsQuery(info, query(ctx));
    const page = await queryFeatures(deps.db, info.id, {
      limit: items.limit,
      properties: items.properties,
      ...(items.bbox === undefined ? {} : { bbox: items.bbox }),
      ...(items.datetime === undefined ? {} : { datetime: items.datetime }),
      ...(items.after === undefined ? {} : { after: items.after }),
      ...(items.before === undefined ? {} : { before: items.before }),
    });
    const body = buildFeatureCollection({
      baseUrl: baseUrlOf(ctx),
      collectionId: info.id,
      page,
      query: items,
      timeStamp: new Date(),
    });
    await sendOgcBody(ctx, body, MEDIA.geojson);
  });

  router.get('/ogc/collections/:collectionId/items/:featureId', async (ctx) => {
    const { info } = requireFeatureSource(ctx.params.collectionId ?? '');
    const featureId = parseFeatureId(info.id, ctx.params.featureId);
    parseFormatQuery(query(ctx), ['json', 'geojson'] as const);
    const record = await getFeature(deps.db, info.id, featureId);
    if (record === null) {
      throw new TidemarkError('NOT_FOUND', `No feature ${featureId} in collection '${info.id}'`);
    }
    await sendOgcBody(ctx, buildFeature(baseUrlOf(ctx), info.id, record), MEDIA.geojson);
  });
}
