import type { SiteYearFilter } from '../query-params.ts';
import type { LayerExtent } from '../tile-layer.ts';

/** The legend covers the years asked for, within the years stored; no years when the two do not overlap. */
export function narrowYears(
  extent: { bounds: LayerExtent['bounds']; years?: { min: number; max: number } } | null,
  filter: SiteYearFilter,
): LayerExtent | null {
  if (extent === null) return null;
  if (extent.years === undefined) return { bounds: extent.bounds };
  const min = Math.max(extent.years.min, filter.fromYear ?? extent.years.min);
  const max = Math.min(extent.years.max, filter.toYear ?? extent.years.max);
  return min <= max ? { bounds: extent.bounds, years: { min, max } } : { bounds: extent.bounds };
}
