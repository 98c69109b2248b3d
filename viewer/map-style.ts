import type { StyleSpecification } from 'maplibre-gl';
import type { ViewerTileJson } from './tilejson-client.ts';
import { type YearRange, yearColorExpression } from './year-ramp.ts';

export const SHORELINE_SOURCE = 'shorelines';
export const SHORELINE_LAYER = 'shorelines';
export const SHORELINE_HOVER_LAYER = 'shorelines-hover';
/** Neutral and offline: no basemap tiles, glyphs or sprites, so nothing is requested from another host. */
export const BACKGROUND_COLOR = '#e4e7eb';

/** The whole map style: a plain background and our shoreline tiles coloured by year. */
export function buildMapStyle(tileJson: ViewerTileJson, years: YearRange): StyleSpecification {
  return {
    version: 8,
    name: 'Tidemark (offline)',
    sources: {
      [SHORELINE_SOURCE]: {
        type: 'vector',
        tiles: tileJson.tiles,
        minzoom: tileJson.minzoom,
        maxzoom: tileJson.maxzoom,
        bounds: tileJson.bounds,
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND_COLOR } },
      {
        // A dark halo under the hovered line only (feature-state needs the integer feature ids).
        id: SHORELINE_HOVER_LAYER,
        type: 'line',
        source: SHORELINE_SOURCE,
        'source-layer': 'shorelines',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': '#111827',
          'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, 4, 13, 6.5, 17, 10],
          'line-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.9, 0],
        },
      },
      {
        id: SHORELINE_LAYER,
        type: 'line',
        source: SHORELINE_SOURCE,
        'source-layer': 'shorelines',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': yearColorExpression('year', years),
          'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, 1, 13, 2.5, 17, 5],
        },
      },
    ],
  };
}
