import type { ExpressionSpecification } from 'maplibre-gl';

/** A year range, both ends included. */
export interface YearWindow {
  from: number;
  to: number;
}

/**
 * The year range is applied on the client, as MapLibre filters on the tiles' own attributes, so moving the
 * slider (or playing through the years) redraws at once without fetching a single tile again.
 */

/** Shorelines whose `year` lies in the window. */
export function shorelineYearFilter(window: YearWindow): ExpressionSpecification {
  return [
    'all',
    ['>=', ['to-number', ['get', 'year']], window.from],
    ['<=', ['to-number', ['get', 'year']], window.to],
  ];
}

/** The year of a `YYYY-MM-DD` attribute, as a number. */
function yearOf(attribute: string): ExpressionSpecification {
  return ['to-number', ['slice', ['to-string', ['get', attribute]], 0, 4]];
}

/**
 * Change polygons between consecutive shorelines whose period lies in the window (the rule the tile API's
 * `from`/`to` uses too). The whole-record polygons (period_kind total) overlap every consecutive one, so they
 * are left out rather than drawn twice.
 */
export function changePeriodFilter(window: YearWindow): ExpressionSpecification {
  return [
    'all',
    ['==', ['get', 'period_kind'], 'consecutive'],
    ['>=', yearOf('period_start'), window.from],
    ['<=', yearOf('period_end'), window.to],
  ];
}

/**
 * Fill opacity of a change polygon by its period: older periods faint, the latest strong, so the eye goes to
 * recent change first.
 */
export function changeOpacityExpression(
  range: YearWindow,
  faint = 0.25,
  strong = 0.75,
): ExpressionSpecification | number {
  if (range.to <= range.from) return strong;
  return ['interpolate', ['linear'], yearOf('period_end'), range.from, faint, range.to, strong];
}

/**
 * A window inside the record's years: the URL's years clamped to them, with missing ends taken from the
 * record, and an inverted result (both outside on the same side) reset to the whole record.
 */
export function clampYearWindow(wanted: { from?: number; to?: number }, record: YearWindow): YearWindow {
  const clamp = (y: number) => Math.min(Math.max(y, record.from), record.to);
  const from = clamp(wanted.from ?? record.from);
  const to = clamp(wanted.to ?? record.to);
  return from <= to ? { from, to } : { from: record.from, to: record.to };
}
