import type { Knex } from 'knex';
import { runStatements, type TidemarkMigration } from './tidemark-migration.ts';

/**
 * An analysis records the shorelines it considered, so that readers can tell when shorelines stored since
 * (a new scene, an imported line) are missing from it.
 */
export const migration0006: TidemarkMigration = {
  name: '0006_analysis_inputs',
  up: async (knex: Knex) => {
    await runStatements(knex, [
      'ALTER TABLE analyses ADD COLUMN shoreline_ids integer[]',
      `COMMENT ON COLUMN analyses.shoreline_ids IS 'shorelines the analysis considered (used or left out as rejected or tide-filtered); null for analyses made before this column existed'`,
    ]);
  },
  down: async (knex: Knex) => {
    await runStatements(knex, ['ALTER TABLE analyses DROP COLUMN shoreline_ids']);
  },
};
