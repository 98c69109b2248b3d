import type { ExpressionSpecification } from 'maplibre-gl';

/**
 * Transects coloured by LRR on a diverging ramp: ColorBrewer RdBu (colour-blind safe), erosion red and
 * accretion blue. Deltaic coasts such as Ca Mau retreat by tens of metres a year, so the stops are spaced
 * roughly logarithmically up to ±30 m/yr; the inner ones sit at the DSAS rate-class limits
 * (pipeline/dsas/rate-class.ts: critical erosion below −1 m/yr, erosion to −0.5, stable within ±0.5), so
 * colour and class agree. RdBu's pale middle would vanish on the light background: "stable" is a mid grey.
 */
export const LRR_STOPS: readonly { rateMPerYr: number; color: string }[] = [
  { rateMPerYr: -30, color: '#67001f' },
  { rateMPerYr: -10, color: '#b2182b' },
  { rateMPerYr: -3, color: '#d6604d' },
  { rateMPerYr: -1, color: '#f4a582' },
  { rateMPerYr: -0.5, color: '#e7c1b0' },
  { rateMPerYr: 0, color: '#9a9a9a' },
  { rateMPerYr: 0.5, color: '#b4cfe0' },
  { rateMPerYr: 1, color: '#92c5de' },
  { rateMPerYr: 3, color: '#4393c3' },
  { rateMPerYr: 10, color: '#2166ac' },
  { rateMPerYr: 30, color: '#053061' },
];

/** Transects without a rate (fewer than three shoreline crossings). */
export const NO_RATE_COLOR = '#c4c9d0';
/** |LRR| at and beyond which a transect gets the widest line. */
export const MAX_WIDTH_RATE_M_PER_YR = 30;

function parseHex(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Colour of a rate, interpolated in RGB between stops exactly as MapLibre's `interpolate` does. */
export function lrrColor(rateMPerYr: number | null): string {
  if (rateMPerYr === null || !Number.isFinite(rateMPerYr)) return NO_RATE_COLOR;
  const first = LRR_STOPS[0]!;
  const last = LRR_STOPS[LRR_STOPS.length - 1]!;
  if (rateMPerYr <= first.rateMPerYr) return first.color;
  if (rateMPerYr >= last.rateMPerYr) return last.color;
  const i = LRR_STOPS.findIndex((s) => s.rateMPerYr > rateMPerYr) - 1;
  const a = LRR_STOPS[i]!;
  const b = LRR_STOPS[i + 1]!;
  const f = (rateMPerYr - a.rateMPerYr) / (b.rateMPerYr - a.rateMPerYr);
  const ca = parseHex(a.color);
  const cb = parseHex(b.color);
  return `#${ca
    .map((c, k) =>
      Math.round(c + (cb[k]! - c) * f)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

const RATE: ExpressionSpecification = ['get', 'lrr_m_yr'];

/** MapLibre `line-color`: the ramp on `lrr_m_yr`, grey where there is no rate. */
export function lrrColorExpression(): ExpressionSpecification {
  return [
    'case',
    ['==', ['typeof', RATE], 'number'],
    ['interpolate', ['linear'], RATE, ...LRR_STOPS.flatMap((s) => [s.rateMPerYr, s.color])],
    NO_RATE_COLOR,
  ] as ExpressionSpecification;
}

/** The line width in px at a zoom's base width: grows with |LRR| (quickly at first) up to 2.5×. */
function widthAt(baseWidthPx: number): ExpressionSpecification {
  return [
    'interpolate',
    ['linear'],
    ['abs', ['to-number', ['coalesce', RATE, 0]]],
    0,
    baseWidthPx,
    3,
    baseWidthPx * 1.6,
    10,
    baseWidthPx * 2.1,
    MAX_WIDTH_RATE_M_PER_YR,
    baseWidthPx * 2.5,
  ];
}

/** MapLibre `line-width`: wider with |LRR|, and with zoom. */
export function lrrWidthExpression(): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], 10, widthAt(0.4), 14, widthAt(1), 18, widthAt(2.5)];
}
