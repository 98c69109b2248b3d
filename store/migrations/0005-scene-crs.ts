import type { Knex } from 'knex';
import { runStatements, type TidemarkMigration } from './tidemark-migration.ts';

/**
 * A scene's CRS may be user-defined in its GeoKeys, with no EPSG code: keep the code optional and store
 * the proj4 definition alongside (the one the pipeline used).
 */
export const migration0005: TidemarkMigration = {
  name: '0005_scene_crs',
  up: async (knex: Knex) => {
    await runStatements(knex, [
      'ALTER TABLE scenes ALTER COLUMN epsg DROP NOT NULL',
      'ALTER TABLE scenes ADD COLUMN crs_proj4 text',
      `COMMENT ON COLUMN scenes.epsg IS 'EPSG code of the scene CRS; null for a user-defined CRS (see crs_proj4)'`,
    ]);
  },
  down: async (knex: Knex) => {
    // Scenes without a code cannot satisfy NOT NULL again: they are removed with their shorelines.
    await runStatements(knex, [
      'DELETE FROM scenes WHERE epsg IS NULL',
      'ALTER TABLE scenes DROP COLUMN crs_proj4',
      'ALTER TABLE scenes ALTER COLUMN epsg SET NOT NULL',
    ]);
  },
};
