import { formatSigned } from './format.ts';
import type { OverlayId } from './layer-catalog.ts';
import { LRR_STOPS, NO_RATE_COLOR } from './lrr-ramp.ts';
import {
  ACCRETION_COLOR,
  EROSION_COLOR,
  FORECAST_BAND_OPACITY,
  FORECAST_COLOR,
  HAZARD_COLOR,
  HAZARD_FAR_OPACITY,
  HAZARD_NEAR_OPACITY,
  NEAR_HORIZON_YEARS,
  SITE_AREA_COLOR,
  SITE_OUTLINE_COLOR,
  ZONE_NOT_ASSESSED_COLOR,
  ZONE_OTHER_RISK_COLOR,
  ZONE_RISK_COLORS,
} from './palette.ts';
import type { YearWindow } from './year-filter.ts';
import { YEAR_RAMP, yearColor } from './year-ramp.ts';

/** One entry of a layer's legend, as data: legend.ts draws it, tests read it. */
export type LegendItem =
  | { kind: 'line'; color: string; label: string; dashed?: boolean; inactive?: boolean }
  | { kind: 'fill'; color: string; label: string; opacity: number }
  | {
      kind: 'ramp';
      /** Colours spread evenly along the bar. */
      colors: readonly string[];
      /** Tick labels with their position along the bar, 0 (left) to 1 (right). */
      ticks: readonly { text: string; at: number }[];
      label: string;
    }
  | { kind: 'note'; text: string };

/** Up to this many years get one swatch each; longer records get a gradient bar. */
const MAX_YEAR_SWATCHES = 16;

function shorelineLegend(recordYears: readonly number[], window: YearWindow): LegendItem[] {
  if (recordYears.length === 0) return [{ kind: 'note', text: 'No shorelines stored yet.' }];
  const from = recordYears[0]!;
  const to = recordYears[recordYears.length - 1]!;
  const range = { minYear: from, maxYear: to };
  if (recordYears.length > MAX_YEAR_SWATCHES) {
    return [
      {
        kind: 'ramp',
        colors: YEAR_RAMP,
        ticks: [
          { text: String(from), at: 0 },
          { text: String(to), at: 1 },
        ],
        label: `Shoreline year, colour ramp from ${from} to ${to}`,
      },
    ];
  }
  return recordYears.map((year) => ({
    kind: 'line',
    color: yearColor(year, range),
    label: String(year),
    ...(year < window.from || year > window.to ? { inactive: true } : {}),
  }));
}

/** Ramp ticks for these rates (stops of the ramp), placed where their colour sits on the bar. */
const LRR_TICK_RATES = [-30, -3, 0, 3, 30];

function transectLegend(): LegendItem[] {
  const first = LRR_STOPS[0]!;
  const last = LRR_STOPS[LRR_STOPS.length - 1]!;
  const intervals = LRR_STOPS.length - 1;
  return [
    {
      kind: 'ramp',
      colors: LRR_STOPS.map((s) => s.color),
      ticks: LRR_TICK_RATES.map((rate) => ({
        text: rate === 0 ? '0' : formatSigned(rate, 0),
        at: LRR_STOPS.findIndex((s) => s.rateMPerYr === rate) / intervals,
      })),
      label:
        `Linear regression rate in m/yr, from ${first.rateMPerYr} (erosion, red) through 0 (grey) ` +
        `to +${last.rateMPerYr} (accretion, blue)`,
    },
    { kind: 'note', text: 'LRR in m/yr; negative is erosion. Line width grows with |rate|.' },
    { kind: 'line', color: NO_RATE_COLOR, label: 'No rate (under 3 shorelines)' },
  ];
}

/**
 * The legend of one overlay. `recordYears` are the years with a shoreline (ascending; the colour ramp spans
 * the first to the last), `window` the years shown.
 */
export function overlayLegend(
  id: OverlayId,
  recordYears: readonly number[],
  window: YearWindow,
): LegendItem[] {
  switch (id) {
    case 'shorelines':
      return shorelineLegend(recordYears, window);
    case 'change':
      return [
        { kind: 'fill', color: EROSION_COLOR, label: 'Erosion (land lost)', opacity: 0.6 },
        { kind: 'fill', color: ACCRETION_COLOR, label: 'Accretion (land gained)', opacity: 0.6 },
        { kind: 'note', text: 'Between consecutive shorelines; older periods are fainter.' },
      ];
    case 'transects':
      return transectLegend();
    case 'forecasts':
      return [
        { kind: 'line', color: FORECAST_COLOR, label: `Forecast, ${NEAR_HORIZON_YEARS} years` },
        { kind: 'line', color: FORECAST_COLOR, label: 'Forecast, 20 years', dashed: true },
        { kind: 'fill', color: FORECAST_COLOR, label: '±1σ band', opacity: FORECAST_BAND_OPACITY * 2 },
      ];
    case 'hazard':
      return [
        {
          kind: 'fill',
          color: HAZARD_COLOR,
          label: `Land at risk within ${NEAR_HORIZON_YEARS} years`,
          opacity: HAZARD_NEAR_OPACITY,
        },
        {
          kind: 'fill',
          color: HAZARD_COLOR,
          label: 'Land at risk within 20 years',
          opacity: HAZARD_FAR_OPACITY,
        },
      ];
    case 'zones':
      return [
        ...ZONE_RISK_COLORS.map(
          (z): LegendItem => ({ kind: 'fill', color: z.color, label: z.label, opacity: 0.75 }),
        ),
        { kind: 'fill', color: ZONE_OTHER_RISK_COLOR, label: 'Other risk class', opacity: 0.75 },
        { kind: 'fill', color: ZONE_NOT_ASSESSED_COLOR, label: 'Not assessed', opacity: 0.75 },
      ];
    case 'sites':
      return [
        { kind: 'line', color: SITE_OUTLINE_COLOR, label: 'Site boundary', dashed: true },
        { kind: 'fill', color: SITE_AREA_COLOR, label: 'Monitored area', opacity: 1 },
      ];
  }
}
