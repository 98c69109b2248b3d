import type { ExpressionSpecification } from 'maplibre-gl';

/**
 * Viridis from 0 to 0.8: perceptually uniform and colour-blind safe, and cut before its pale yellow end, which
 * would vanish against the light background.
 */
export const YEAR_RAMP: readonly string[] = [
  '#440154',
  '#482878',
  '#414487',
  '#355f8d',
  '#2a788e',
  '#21918c',
  '#22a884',
  '#44bf70',
  '#7ad151',
];

export interface YearRange {
  minYear: number;
  maxYear: number;
}

function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The year at which each ramp colour sits: evenly spread over the range. */
function stopYears({ minYear, maxYear }: YearRange): number[] {
  const steps = YEAR_RAMP.length - 1;
  return YEAR_RAMP.map((_, i) => minYear + ((maxYear - minYear) * i) / steps);
}

/**
 * Colour of one year, interpolated linearly in RGB between ramp stops: the same arithmetic MapLibre's
 * `interpolate` expression does, so the legend shows exactly what the map draws.
 */
export function yearColor(year: number, range: YearRange): string {
  if (range.maxYear <= range.minYear) return YEAR_RAMP[YEAR_RAMP.length - 1]!;
  const t = Math.min(Math.max((year - range.minYear) / (range.maxYear - range.minYear), 0), 1);
  const scaled = t * (YEAR_RAMP.length - 1);
  const i = Math.min(Math.floor(scaled), YEAR_RAMP.length - 2);
  const f = scaled - i;
  const a = parseHex(YEAR_RAMP[i]!);
  const b = parseHex(YEAR_RAMP[i + 1]!);
  return toHex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

/** MapLibre expression colouring a feature by its numeric `property` (a year) on the ramp. */
export function yearColorExpression(property: string, range: YearRange): ExpressionSpecification | string {
  if (range.maxYear <= range.minYear) return YEAR_RAMP[YEAR_RAMP.length - 1]!;
  const stops = stopYears(range).flatMap((year, i) => [year, YEAR_RAMP[i]!]);
  return [
    'interpolate',
    ['linear'],
    ['to-number', ['get', property], range.minYear],
    ...stops,
  ] as ExpressionSpecification;
}
