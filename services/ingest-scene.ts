import { basename } from 'node:path';
import { TidemarkError } from '../common/errors.ts';
import { readSceneTideProperties, resolveSceneTide } from '../sources/scene-tide.ts';
import type { TideTable } from '../sources/tide-table.ts';
import type { Database } from '../store/db.ts';
import { findSceneByDate, findSceneBySha256, insertScene, type Scene } from '../store/scenes.ts';
import { insertShorelines } from '../store/shorelines.ts';
import { bumpDataVersion, getSiteBySlug } from '../store/sites.ts';
import type { ExtractPool } from '../workers/extract-pool.ts';
import { type ExtractOptions, extractScene } from './extract-scene.ts';
import { extractVegetationEdge } from './extract-vegetation-edge.ts';
import { fileSha256 } from './file-sha256.ts';
import { assertSiteCrsFits, lonLatBoxOf } from './site-crs-fit.ts';

export type IngestOutcome =
  | { scene: string; status: 'ingested'; sceneId: number; date: string | null; shorelineCount: number }
  | {
      scene: string;
      status: 'duplicate';
      sceneId: number;
      /** The same bytes are stored, or another scene of the same date and proxy (`storedAs` names it). */
      reason: 'same-file' | 'same-date';
      storedAs: string;
    }
  | { scene: string; status: 'failed'; error: TidemarkError };

/** Extraction options plus the shoreline proxy and where the scene's tide comes from (issue 7). */
export interface IngestOptions extends ExtractOptions {
  /** waterline (default) or vegetation: the seaward vegetation edge from NDVI. */
  proxy?: 'waterline' | 'vegetation';
  /** `--tide <m>` for this scene, `--tides tides.csv`, and the datum of either. */
  tideFlagM?: number;
  tideTable?: TideTable;
  tideDatum?: string;
}

export interface IngestContext {
  signal?: AbortSignal;
  pool?: ExtractPool;
  onProgress?: (p: { scene: string; stage: string; done: number; total: number }) => void;
}

/**
 * Extracts one scene and stores it with its shorelines in a single transaction, so a reader (or a crash)
 * never sees a scene without its shorelines. The same bytes ingested twice into a site are a no-op:
 * the sha256 is checked first, and UNIQUE(site_id, sha256) settles races between processes. So is a second
 * scene of a date and proxy the site already has (the same acquisition as a STAC item and as a GeoTIFF,
 * say): the analysis reads each date as one shoreline. The site's row is locked while storing, so two
 * processes cannot both store one date.
 */
export async function ingestScene(
  db: Database,
  siteSlug: string,
  path: string,
  options: IngestOptions = {},
  ctx: IngestContext = {},
): Promise<IngestOutcome> {
  const proxy = options.proxy ?? 'waterline';
  if (proxy !== 'waterline' && proxy !== 'vegetation') {
    throw new TidemarkError('INVALID_INPUT', `proxy must be waterline or vegetation, got '${String(proxy)}'`);
  }
  const scene = basename(path);
  const site = await requireSite(db, siteSlug);
  const { sha256, sizeBytes } = await fileSha256(path);
  const existing = await findSceneBySha256(db.knex, site.id, sha256);
  if (existing) return duplicateOf(scene, existing, 'same-file');

  const { proxy: _proxy, tideFlagM, tideTable, tideDatum, ...extractOptions } = options;
  const result =
    proxy === 'vegetation'
      ? await extractVegetation(path, extractOptions, ctx.signal)
      : await extractScene(path, extractOptions, {
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

  // A tide table is read at the acquisition instant: a bare date (midnight) would silently pick the wrong tide.
  if (tideTable && tideFlagM === undefined && !result.scene.date.includes('T')) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${scene}: its metadata give only the acquisition date ${result.scene.date}, and --tides needs the time; ` +
        'pass it with --date YYYY-MM-DDTHH:MM:SSZ',
    );
  }
  const date = result.scene.date;
  // Measured in a CRS made for another place, its shorelines would give wrong lengths and rates.
  const box = lonLatBoxOf(result.shorelines.features);
  if (box) await assertSiteCrsFits(db.knex, site, box, scene);
  const sameDate = await findSceneByDate(db.knex, site.id, date.slice(0, 10), proxy);
  if (sameDate) return duplicateOf(scene, sameDate, 'same-date');

  const acquiredAtMs = Date.parse(date);
  const tide = resolveSceneTide({
    scene,
    acquiredAtMs: Number.isFinite(acquiredAtMs) ? acquiredAtMs : null,
    ...(tideFlagM !== undefined ? { flagM: tideFlagM, ...(tideDatum ? { flagDatum: tideDatum } : {}) } : {}),
    ...(tideTable ? { table: tideTable, ...(tideDatum ? { tableDatum: tideDatum } : {}) } : {}),
    properties: await readSceneTideProperties(path),
  });

  return db.knex.transaction(async (trx): Promise<IngestOutcome> => {
    // Re-check inside the transaction, with the site locked: another process may have stored the same
    // file, or a scene of the same date, meanwhile.
    await trx.raw('SELECT 1 FROM sites WHERE id = ? FOR UPDATE', [site.id]);
    const raced = await findSceneBySha256(trx, site.id, sha256);
    if (raced) return duplicateOf(scene, raced, 'same-file');
    const racedDate = await findSceneByDate(trx, site.id, date.slice(0, 10), proxy);
    if (racedDate) return duplicateOf(scene, racedDate, 'same-date');
    const sceneId = await insertScene(trx, {
      siteId: site.id,
      sha256,
      fileName: scene,
      fileSizeBytes: sizeBytes,
      acquiredAt: date,
      epsg: result.scene.epsg,
      crsProj4: result.scene.epsg === null ? result.scene.proj4 : null,
      width: result.scene.width,
      height: result.scene.height,
      waterIndex:
        proxy === 'vegetation'
          ? 'ndvi'
          : (result.shorelines.features[0]?.properties?.index ?? options.index ?? 'mndwi'),
      threshold: result.threshold,
      waterFraction: result.waterFraction,
      shorelineProxy: proxy,
      tideHeightM: tide?.tideHeightM ?? null,
      tideDatum: tide?.tideDatum ?? null,
      tideSource: tide?.tideSource ?? null,
    });
    await insertShorelines(trx, {
      siteId: site.id,
      sceneId,
      date,
      proxy,
      features: result.shorelines.features,
    });
    await bumpDataVersion(trx, site.id);
    return {
      scene,
      status: 'ingested',
      sceneId,
      date,
      shorelineCount: result.shorelines.features.length,
    };
  });
}

function duplicateOf(scene: string, stored: Scene, reason: 'same-file' | 'same-date'): IngestOutcome {
  return { scene, status: 'duplicate', sceneId: stored.id, reason, storedAs: stored.fileName };
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

/** The vegetation edge in the shape the rest of ingest expects (index 'ndvi', no water fraction). */
async function extractVegetation(path: string, options: ExtractOptions, signal?: AbortSignal) {
  const result = await extractVegetationEdge(
    path,
    {
      ...(options.bands ? { bands: options.bands } : {}),
      ...(options.date ? { date: options.date } : {}),
      ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
      ...(options.minLengthM !== undefined ? { minLengthM: options.minLengthM } : {}),
    },
    signal,
  );
  return { ...result, waterFraction: null as number | null };
}
