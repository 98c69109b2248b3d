import type { FeatureCollection } from 'geojson';
import type {
  ExpressionSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { OVERLAYS, type OverlayId } from './layer-catalog.ts';
import { lrrColorExpression, lrrWidthExpression } from './lrr-ramp.ts';
import {
  ACCRETION_COLOR,
  BACKGROUND_COLOR,
  EROSION_COLOR,
  FORECAST_BAND_OPACITY,
  FORECAST_COLOR,
  FORECAST_FAR_DASH,
  HAZARD_COLOR,
  HAZARD_FAR_OPACITY,
  HAZARD_NEAR_OPACITY,
  HAZARD_OUTLINE_COLOR,
  NEAR_HORIZON_YEARS,
  SELECTION_COLOR,
  SITE_AREA_COLOR,
  SITE_OUTLINE_COLOR,
  ZONE_NOT_ASSESSED_COLOR,
  ZONE_OTHER_RISK_COLOR,
  ZONE_OUTLINE_COLOR,
  ZONE_RISK_COLORS,
} from './palette.ts';
import type { ViewerTileJson } from './tilejson-client.ts';
import {
  changeOpacityExpression,
  changePeriodFilter,
  shorelineYearFilter,
  type YearWindow,
} from './year-filter.ts';
import { yearColorExpression } from './year-ramp.ts';

/** The GeoJSON source of site outlines (from `/ogc/collections/sites/items`); also the offline land layer. */
export const SITES_SOURCE = 'sites';

export interface StyleInputs {
  /** TileJSON of each tile layer the API serves; an overlay without one is not drawn. */
  tileJsons: Partial<Record<OverlayId, ViewerTileJson>>;
  /** The years of the record: the span of the shoreline colour ramp and the change opacity. */
  record: YearWindow;
  /** The years shown. */
  window: YearWindow;
  /** Overlays switched off. */
  hidden: ReadonlySet<string>;
  sites: FeatureCollection;
}

const SMOOTH: LayerSpecification['layout'] = { 'line-join': 'round', 'line-cap': 'round' };
const HORIZON: ExpressionSpecification = ['to-number', ['get', 'horizon_years'], 0];
const SELECTED: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];
const HOVERED: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

function zoneFillColor(): ExpressionSpecification {
  return [
    'case',
    ['!', ['has', 'risk_class']],
    ZONE_NOT_ASSESSED_COLOR,
    [
      'match',
      ['get', 'risk_class'],
      ...ZONE_RISK_COLORS.flatMap((z) => [z.riskClass, z.color]),
      ZONE_OTHER_RISK_COLOR,
    ],
  ] as unknown as ExpressionSpecification;
}

/** Line width growing with zoom from `atZ10` px (×2.5 at z14, ×5 at z18). */
function zoomWidth(atZ10: number): ExpressionSpecification {
  return ['interpolate', ['exponential', 1.5], ['zoom'], 10, atZ10, 14, atZ10 * 2.5, 18, atZ10 * 5];
}

/** The style layers of one overlay, drawing from `source` (the overlay's id). */
function overlayLayers(id: OverlayId, inputs: StyleInputs): LayerSpecification[] {
  const vector = { source: id, 'source-layer': id };
  switch (id) {
    case 'hazard':
      return [
        {
          id: 'hazard-fill',
          type: 'fill',
          ...vector,
          paint: {
            'fill-color': HAZARD_COLOR,
            'fill-opacity': [
              'case',
              ['<=', HORIZON, NEAR_HORIZON_YEARS],
              HAZARD_NEAR_OPACITY,
              HAZARD_FAR_OPACITY,
            ],
          },
        },
        {
          id: 'hazard-outline',
          type: 'line',
          ...vector,
          paint: { 'line-color': HAZARD_OUTLINE_COLOR, 'line-width': 0.8, 'line-opacity': 0.7 },
        },
      ];
    case 'change':
      return [
        {
          id: 'change-fill',
          type: 'fill',
          ...vector,
          filter: changePeriodFilter(inputs.window),
          paint: {
            'fill-color': ['match', ['get', 'kind'], 'erosion', EROSION_COLOR, ACCRETION_COLOR],
            'fill-opacity': changeOpacityExpression(inputs.record),
          },
        },
      ];
    case 'zones':
      return [
        {
          id: 'zones-fill',
          type: 'fill',
          ...vector,
          paint: { 'fill-color': zoneFillColor(), 'fill-opacity': ['case', HOVERED, 0.95, 0.75] },
        },
        {
          id: 'zones-outline',
          type: 'line',
          ...vector,
          paint: { 'line-color': ZONE_OUTLINE_COLOR, 'line-width': zoomWidth(0.4) },
        },
        {
          id: 'zones-selected',
          type: 'line',
          ...vector,
          paint: { 'line-color': SELECTION_COLOR, 'line-width': 3, 'line-opacity': ['case', SELECTED, 1, 0] },
        },
      ];
    case 'forecasts':
      return [
        {
          id: 'forecasts-band',
          type: 'fill',
          ...vector,
          filter: ['==', ['get', 'kind'], 'band'],
          paint: { 'fill-color': FORECAST_COLOR, 'fill-opacity': FORECAST_BAND_OPACITY },
        },
        {
          id: 'forecasts-line-near',
          type: 'line',
          ...vector,
          filter: ['all', ['==', ['get', 'kind'], 'line'], ['<=', HORIZON, NEAR_HORIZON_YEARS]],
          layout: SMOOTH,
          paint: { 'line-color': FORECAST_COLOR, 'line-width': zoomWidth(1) },
        },
        {
          id: 'forecasts-line-far',
          type: 'line',
          ...vector,
          filter: ['all', ['==', ['get', 'kind'], 'line'], ['>', HORIZON, NEAR_HORIZON_YEARS]],
          paint: {
            'line-color': FORECAST_COLOR,
            'line-width': zoomWidth(1),
            'line-dasharray': FORECAST_FAR_DASH,
          },
        },
      ];
    case 'shorelines':
      return [
        {
          // A dark halo under the hovered line only (feature-state needs the integer feature ids).
          id: 'shorelines-hover',
          type: 'line',
          ...vector,
          filter: shorelineYearFilter(inputs.window),
          layout: SMOOTH,
          paint: {
            'line-color': SELECTION_COLOR,
            'line-width': zoomWidth(2.5),
            'line-opacity': ['case', HOVERED, 0.9, 0],
          },
        },
        {
          id: 'shorelines',
          type: 'line',
          ...vector,
          filter: shorelineYearFilter(inputs.window),
          layout: SMOOTH,
          paint: {
            'line-color': yearColorExpression('year', {
              minYear: inputs.record.from,
              maxYear: inputs.record.to,
            }),
            'line-width': zoomWidth(1),
          },
        },
      ];
    case 'transects':
      return [
        {
          id: 'transects-selected',
          type: 'line',
          ...vector,
          layout: SMOOTH,
          paint: {
            'line-color': SELECTION_COLOR,
            'line-width': zoomWidth(2.5),
            'line-opacity': ['case', SELECTED, 1, HOVERED, 0.6, 0],
          },
        },
        {
          id: 'transects',
          type: 'line',
          ...vector,
          layout: SMOOTH,
          paint: { 'line-color': lrrColorExpression(), 'line-width': lrrWidthExpression() },
        },
      ];
    case 'sites':
      return [
        {
          id: 'sites-outline',
          type: 'line',
          source: SITES_SOURCE,
          paint: { 'line-color': SITE_OUTLINE_COLOR, 'line-width': 1.5, 'line-dasharray': [4, 3] },
        },
      ];
  }
}

/**
 * The whole map style, offline: a neutral background, the sites' areas as the land layer, and every
 * overlay the API serves, bottom to top in OVERLAYS order. Nothing in it points at another host.
 */
export function buildMapStyle(inputs: StyleInputs): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    [SITES_SOURCE]: { type: 'geojson', data: inputs.sites },
  };
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } },
    { id: 'site-area', type: 'fill', source: SITES_SOURCE, paint: { 'fill-color': SITE_AREA_COLOR } },
  ];
  for (const overlay of OVERLAYS) {
    const tileJson = inputs.tileJsons[overlay.id];
    if (overlay.tileLayer !== null) {
      if (tileJson === undefined) continue;
      sources[overlay.id] = {
        type: 'vector',
        tiles: tileJson.tiles,
        minzoom: tileJson.minzoom,
        maxzoom: tileJson.maxzoom,
        bounds: tileJson.bounds,
        // Tiles carry the features' integer ids: hover and selection use feature-state.
      };
    }
    const visibility = inputs.hidden.has(overlay.id) ? 'none' : 'visible';
    for (const layer of overlayLayers(overlay.id, inputs)) {
      layers.push({ ...layer, layout: { ...(layer.layout ?? {}), visibility } } as LayerSpecification);
    }
  }
  return { version: 8, name: 'Tidemark (offline)', sources, layers };
}
