import { basename } from 'node:path';
import { TidemarkError } from '../common/errors.ts';
import type { Database } from '../store/db.ts';
import { findSceneBySha256, insertScene } from '../store/scenes.ts';
import { insertShorelines } from '../store/shorelines.ts';
import { bumpDataVersion, getSiteBySlug } from '../store/sites.ts';
import type { ExtractPool } from '../workers/extract-pool.ts';
import { type ExtractOptions, extractScene } from './extract-scene.ts';
import { fileSha256 } from './file-sha256.ts';

export type IngestOutcome =
  | { scene: string; status: 'ingested'; sceneId: number; date: string | null; shorelineCount: number }
  | { scene: string; status: 'duplicate'; sceneId: number }
  | { scene: string; status: 'failed'; error: TidemarkError };

export interface IngestContext {
  signal?: AbortSignal;
  pool?: ExtractPool;
  onProgress?: (p: { scene: string; stage: string; done: number; total: number }) => void;
}

/**
 * Extracts one scene and stores it with its shorelines in a single transaction, so a reader (or a crash)
 * never sees a scene without its shorelines. The same bytes ingested twice into a site are a no-op:
 * the sha256 is checked first, and UNIQUE(site_id, sha256) settles races between processes.
 */
export async function ingestScene(
  db: Database,
  siteSlug: string,
  path: string,
  options: ExtractOptions = {},
  ctx: IngestContext = {},
): Promise<IngestOutcome> {
  const scene = basename(path);
  const site = await requireSite(db, siteSlug);
  const sha256 = await fileSha256(path);
  const existing = await findSceneBySha256(db.knex, site.id, sha256);
  if (existing) return { scene, status: 'duplicate', sceneId: existing.id };

  const result = await extractScene(path, options, {
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.pool ? { pool: ctx.pool } : {}),
    onProgress: (p) => ctx.onProgress?.({ scene, ...p }),
  });
  ctx.signal?.throwIfAborted();
  if (!result.scene.date) {
    // A shoreline without a date cannot enter a time series: refuse it rather than store an orphan.
    throw new TidemarkError(
      'INVALID_INPUT',
      `${scene}: no acquisition date in the file's metadata; pass one with --date YYYY-MM-DD`,
    );
  }

  return db.knex.transaction(async (trx) => {
    // Re-check inside the transaction: another process may have stored the same file meanwhile.
    const raced = await findSceneBySha256(trx, site.id, sha256);
    if (raced) return { scene, status: 'duplicate' as const, sceneId: raced.id };
    const sceneId = await insertScene(trx, {
      siteId: site.id,
      sha256,
      fileName: scene,
      acquiredAt: result.scene.date,
      epsg: result.scene.epsg,
      crsProj4: result.scene.epsg === null ? result.scene.proj4 : null,
      width: result.scene.width,
      height: result.scene.height,
      waterIndex: result.shorelines.features[0]?.properties?.index ?? options.index ?? 'mndwi',
      threshold: result.threshold,
      waterFraction: result.waterFraction,
    });
    await insertShorelines(trx, {
      siteId: site.id,
      sceneId,
      date: result.scene.date,
      features: result.shorelines.features,
    });
    await bumpDataVersion(trx, site.id);
    return {
      scene,
      status: 'ingested' as const,
      sceneId,
      date: result.scene.date,
      shorelineCount: result.shorelines.features.length,
    };
  });
}

async function requireSite(db: Database, slug: string) {
  const site = await getSiteBySlug(db.knex, slug);
  if (!site) {
    throw new TidemarkError(
      'NOT_FOUND',
      `unknown site '${slug}': create it first with \`tidemark site create ${slug} --name "…" --epsg 32648\``,
    );
  }
  return site;
}
