import { TidemarkError } from '../../common/errors.ts';
import { parseDecimalYear } from './decimal-year.ts';
import type { LineCollection } from './read-line-features.ts';
import type { DatedShoreline, ShorelinePiece } from './types.ts';

/**
 * Groups shoreline features into dated shorelines. Every feature needs a `date` property; the features of
 * one date in one file are the pieces of one shoreline; the same date in two files is an error (two
 * shorelines cannot share a date). A feature's `uncertainty_m` overrides `defaultUncertaintyM` for its
 * pieces. Collections must already be in the metric CRS.
 */
export function shorelinesFromFeatures(
  collections: readonly LineCollection[],
  defaultUncertaintyM: number,
): DatedShoreline[] {
  if (!(defaultUncertaintyM > 0) || !Number.isFinite(defaultUncertaintyM)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `uncertainty must be a positive number of metres, got ${defaultUncertaintyM}`,
    );
  }
  const byYear = new Map<number, { date: string; source: string; pieces: ShorelinePiece[] }>();
  for (const c of collections) {
    const mine = new Set<number>();
    for (const f of c.features) {
      const where = c.features.length > 1 ? `${c.source} (feature ${f.index + 1})` : c.source;
      const raw = f.properties.date;
      if (raw === undefined || raw === null) {
        throw new TidemarkError(
          'INVALID_INPUT',
          `${where}: the shoreline has no 'date' property (every feature needs one, e.g. "2019-03-14")`,
        );
      }
      const year = parseDecimalYear(raw, `${where}: date`);
      const u = f.properties.uncertainty_m;
      let uncertaintyM = defaultUncertaintyM;
      if (u !== undefined && u !== null) {
        if (typeof u !== 'number' || !(u > 0) || !Number.isFinite(u)) {
          throw new TidemarkError(
            'INVALID_INPUT',
            `${where}: uncertainty_m must be a positive number, got ${JSON.stringify(u)}`,
          );
        }
        uncertaintyM = u;
      }
      const existing = byYear.get(year);
      if (existing && !mine.has(year)) {
        throw new TidemarkError(
          'INVALID_INPUT',
          `duplicate shoreline date ${String(raw)}: both ${existing.source} and ${c.source} have it`,
          { details: { date: String(raw) } },
        );
      }
      mine.add(year);
      const entry = existing ?? { date: String(raw), source: c.source, pieces: [] };
      for (const line of f.lines) entry.pieces.push({ coordinates: line, uncertaintyM });
      byYear.set(year, entry);
    }
  }
  return [...byYear.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([yearDecimal, e]) => ({ date: e.date, yearDecimal, pieces: e.pieces }));
}
