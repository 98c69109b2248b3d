import { fileURLToPath } from 'node:url';
import { CoastModel } from '../../fixtures/coast-model.ts';
import { analyzeSite } from '../../services/analyze-site.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import type { Database } from '../../store/db.ts';
import { createSite, type Site } from '../../store/sites.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';

/**
 * Test data for the OGC API: committed fixture scenes ingested through the real extraction, analysed, and the
 * fixture's own aquaculture ponds stored as zones (two of them assessed), so every collection has features.
 * Used by the e2e tests; it writes through the same services the CLI uses.
 */

const SCENES_DIR = fileURLToPath(new URL('../../fixtures/scenes/', import.meta.url));
/** The committed series' generator settings (fixtures/scenes/series.json). */
const SERIES = { seed: 42, widthPx: 512 } as const;
export const FIXTURE_SLUG = 'ca-mau';
export const EMPTY_SLUG = 'empty-site';
/** Five dates: enough for LRR (n ≥ 3) and forecasts (n ≥ 4). */
export const FIXTURE_YEARS = [2016, 2018, 2020, 2022, 2025] as const;
export const ASSESSED_RISK = 'high';

export interface SeededOgcData {
  site: Site;
  emptySite: Site;
  zoneCount: number;
}

export async function seedOgcFixtures(db: Database): Promise<SeededOgcData> {
  const site = await createSite(db.knex, { slug: FIXTURE_SLUG, name: 'Ca Mau fixture coast', epsg: 32648 });
  const emptySite = await createSite(db.knex, { slug: EMPTY_SLUG, name: 'No data yet', epsg: 32648 });
  const pool = createExtractPool({ threads: 2 });
  try {
    for (const year of FIXTURE_YEARS) {
      const outcome = await ingestScene(db, FIXTURE_SLUG, `${SCENES_DIR}ca-mau-${year}.tif`, {}, { pool });
      if (outcome.status !== 'ingested')
        throw new Error(`fixture ${year} was not ingested: ${outcome.status}`);
    }
  } finally {
    await pool.destroy();
  }
  const summary = await analyzeSite(db, FIXTURE_SLUG);

  const model = new CoastModel(SERIES);
  let index = 0;
  for (const pond of model.ponds) {
    index += 1;
    await db.knex.raw(
      `INSERT INTO aquaculture_zones (site_id, name, external_id, farm_type, area_m2, geom)
       VALUES (?, ?, ?, ?, ?, ST_Multi(ST_Transform(ST_MakeEnvelope(?, ?, ?, ?, 32648), 4326)))`,
      [
        site.id,
        `Pond ${index}`,
        `pond-${index}`,
        index % 2 === 0 ? 'extensive shrimp' : 'intensive shrimp',
        (pond.x1M - pond.x0M) * (pond.y1M - pond.y0M),
        pond.x0M,
        pond.y0M,
        pond.x1M,
        pond.y1M,
      ],
    );
  }
  await db.knex.raw(
    `INSERT INTO zone_assessments (zone_id, site_id, analysis_id, distance_to_shoreline_m, risk_class)
     SELECT id, site_id, ?, 50, ? FROM aquaculture_zones WHERE site_id = ? ORDER BY id LIMIT 2`,
    [summary.analysisId, ASSESSED_RISK, site.id],
  );
  return { site, emptySite, zoneCount: model.ponds.length };
}
