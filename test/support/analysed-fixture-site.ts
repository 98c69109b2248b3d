import { fileURLToPath } from 'node:url';
import { CoastModel } from '../../fixtures/coast-model.ts';
import { type AnalyzeSummary, analyzeSite } from '../../services/analyze-site.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import type { Database } from '../../store/db.ts';
import { bumpDataVersion, createSite, type Site } from '../../store/sites.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';

/**
 * A site built the way production builds one: committed fixture scenes ingested through the real extraction,
 * then `analyzeSite`, plus the fixture's own inland ponds stored as aquaculture zones (some of them
 * assessed). The tile tests and `npm run bench:tiles` use it, so every tile layer has real features.
 */

export const FIXTURE_SCENES_DIR = fileURLToPath(new URL('../../fixtures/scenes/', import.meta.url));
/** The committed series' generator settings (fixtures/scenes/series.json), to place its ponds. */
const SERIES = { seed: 42, widthPx: 512 } as const;
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

/** The fixture's ponds as zones, the first few assessed against the analysis; bumps the data version. */
async function storeZones(db: Database, site: Site, analysisId: number): Promise<number[]> {
  const model = new CoastModel(SERIES);
  return db.knex.transaction(async (trx) => {
    const ids: number[] = [];
    for (const [i, pond] of model.ponds.entries()) {
      const { rows } = await trx.raw<{ rows: { id: number }[] }>(
        `INSERT INTO aquaculture_zones (site_id, name, external_id, farm_type, area_m2, geom)
         VALUES (?, ?, ?, ?, ?, ST_Multi(ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 32648), 4326)))
         RETURNING id`,
        [
          site.id,
          `Pond ${i + 1}`,
          `pond-${i + 1}`,
          i % 2 === 0 ? 'intensive shrimp' : 'extensive shrimp',
          (pond.x1M - pond.x0M) * (pond.y1M - pond.y0M),
          pond.x0M,
          pond.y0M,
          pond.x1M,
          pond.y1M,
        ],
      );
      ids.push(rows[0]!.id);
    }
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
    return ids;
  });
}
