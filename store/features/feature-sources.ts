import { TidemarkError } from '../../common/errors.ts';
import { changeSource } from './collections/change-source.ts';
import { forecastsSource } from './collections/forecasts-source.ts';
import { hazardSource } from './collections/hazard-source.ts';
import { shorelinesSource } from './collections/shorelines-source.ts';
import { sitesSource } from './collections/sites-source.ts';
import { transectsSource } from './collections/transects-source.ts';
import { zonesSource } from './collections/zones-source.ts';
import type { FeatureCollectionInfo, FeatureSource } from './feature-source.ts';

/** Every feature collection, in the order clients list them. A new collection is one file and one entry. */
export const FEATURE_SOURCES: readonly FeatureSource[] = [
  shorelinesSource,
  transectsSource,
  changeSource,
  forecastsSource,
  hazardSource,
  zonesSource,
  sitesSource,
];

const BY_ID = new Map(FEATURE_SOURCES.map((source) => [source.info.id, source]));

/** What clients may know of every collection (no SQL). */
export function listFeatureCollections(): FeatureCollectionInfo[] {
  return FEATURE_SOURCES.map((source) => source.info);
}

/** The collection with this id, or NOT_FOUND listing the ids that exist. */
export function requireFeatureSource(id: string): FeatureSource {
  const source = BY_ID.get(id);
  if (source === undefined) {
    throw new TidemarkError('NOT_FOUND', `Unknown feature collection '${id}'`, {
      details: { allowed: [...BY_ID.keys()] },
    });
  }
  return source;
}
