import { fileURLToPath } from 'node:url';
import { pondFarmsOfSeries } from '../../fixtures/pond-farms.ts';
import { type AnalyzeSummary, analyzeSite } from '../../services/analyze-site.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import type { Database } from '../../store/db.ts';
import { bumpDataVersion, createSite, type Site } from '../../store/sites.ts';
import { createZones } from '../../store/zones.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';

/**
 * A site built the way production builds one: committed fixture scenes ingested through the real extraction,
 * then `analyzeSite`, plus the fixture's shrimp farms stored as aquaculture zones (some of them assessed).
 * The tile tests and `npm run bench:tiles` use it, so every tile layer has real features.
 */

export const FIXTURE_SCENES_DIR = fileURLToPath(new URL('../../fixtures/scenes/', import.meta.url));
/** Five dates spread over the record: enough for LRR (n ≥ 3) and forecasts (n ≥ 4). */
export const FIXTURE_YEARS: readonly number[] = [2016, 2018, 2020, 2022, 2025];
/** Risk classes given to the first zones (by id), in turn; the remaining zones stay unassessed. */
export const FIXTURE_RISK_CLASSES = ['high', 'medium', 'low'] as const;
export const ASSESSED_ZONES = 6;

export interface AnalysedFixtureSite {
  site: Site;
  analysis: AnalyzeSummary;
  /** Ids of the stored zones, ascending; the first ASSESSED_ZONES have an assessment. */
  zoneIds: number[];
}

export async function seedAnalysedFixtureSite(
  db: Database,
  opts: { slug?: string; years?: readonly number[] } = {},
): Promise<AnalysedFixtureSite> {
  const slug = opts.slug ?? 'ca-mau';
  const site = await createSite(db.knex, { slug, name: 'Ca Mau fixture coast', epsg: 32648 });
  const pool = createExtractPool({ threads: 2 });
  try {
    for (const year of opts.years ?? FIXTURE_YEARS) {
      const outcome = await ingestScene(db, slug, `${FIXTURE_SCENES_DIR}ca-mau-${year}.tif`, {}, { pool });
      if (outcome.status !== 'ingested') {
        throw new Error(`fixture scene ${year} was not ingested: ${JSON.stringify(outcome)}`);
      }
    }
  } finally {
    await pool.destroy();
  }
  const analysis = await analyzeSite(db, slug);
  const zoneIds = await storeZones(db, site, analysis.analysisId);
  return { site, analysis, zoneIds };
}

/** The fixture's shrimp farms as zones (as the demo stores them), the first few assessed against the analysis. */
async function storeZones(db: Database, site: Site, analysisId: number): Promise<number[]> {
  const zones = await createZones(db, site.id, await pondFarmsOfSeries(FIXTURE_SCENES_DIR));
  const ids = zones.map((z) => z.id);
  await db.knex.transaction(async (trx) => {
    for (const [i, zoneId] of ids.slice(0, ASSESSED_ZONES).entries()) {
      await trx.raw(
        `INSERT INTO zone_assessments (zone_id, site_id, analysis_id, distance_to_shoreline_m, years_to_impact,
                                       risk_class)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          zoneId,
          site.id,
          analysisId,
          50 + 10 * i,
          i + 1,
          FIXTURE_RISK_CLASSES[i % FIXTURE_RISK_CLASSES.length]!,
        ],
      );
    }
    await bumpDataVersion(trx, site.id);
  });
  return ids;
}
