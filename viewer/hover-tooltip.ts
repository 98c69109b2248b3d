import { type MapGeoJSONFeature, type Map as MapLibreMap, type PointLike, Popup } from 'maplibre-gl';
import { describeFeature } from './feature-description.ts';
import { overlayOfStyleLayer } from './layer-catalog.ts';

/** Pixels around the pointer that still count as "on" a feature: thin lines are hard to hit exactly. */
export const HIT_TOLERANCE_PX = 4;

/** The box of HIT_TOLERANCE_PX around a point, for queryRenderedFeatures. */
export function hitBox(point: { x: number; y: number }): [PointLike, PointLike] {
  return [
    [point.x - HIT_TOLERANCE_PX, point.y - HIT_TOLERANCE_PX],
    [point.x + HIT_TOLERANCE_PX, point.y + HIT_TOLERANCE_PX],
  ];
}

/**
 * The feature at a point from the first of `layers` (in that order of preference) that has one there; within
 * a layer the topmost. Preference, not drawing order, decides: a thin transect over a wide hazard polygon
 * is what the pointer means, even where a site outline is drawn above both.
 */
export function topFeatureAt(
  map: MapLibreMap,
  point: { x: number; y: number },
  layers: readonly string[],
): MapGeoJSONFeature | undefined {
  const present = layers.filter((id) => map.getLayer(id) !== undefined);
  if (present.length === 0) return undefined;
  const found = map.queryRenderedFeatures(hitBox(point), { layers: present });
  let best: MapGeoJSONFeature | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const feature of found) {
    const rank = present.indexOf(feature.layer.id);
    if (rank < bestRank) {
      best = feature;
      bestRank = rank;
    }
  }
  return best;
}

interface Hovered {
  source: string;
  sourceLayer: string;
  id: string | number;
}

/**
 * A small tooltip describing the feature under the pointer (from its tile attributes), with the feature
 * highlighted through feature-state. `layers()` lists the style layers worth hovering, preferred first.
 */
export function attachHoverTooltip(map: MapLibreMap, layers: () => readonly string[]): void {
  const popup = new Popup({
    closeButton: false,
    closeOnClick: false,
    offset: 10,
    maxWidth: '280px',
    className: 'feature-tooltip',
  });
  let hovered: Hovered | null = null;

  const clearHover = () => {
    if (hovered !== null) {
      map.setFeatureState(
        { source: hovered.source, sourceLayer: hovered.sourceLayer, id: hovered.id },
        { hover: false },
      );
    }
    hovered = null;
  };

  map.on('mousemove', (event) => {
    const feature = topFeatureAt(map, event.point, layers());
    const overlay = feature ? overlayOfStyleLayer(feature.layer.id) : undefined;
    if (feature === undefined || overlay === undefined) {
      map.getCanvas().style.cursor = '';
      clearHover();
      popup.remove();
      return;
    }
    map.getCanvas().style.cursor = overlay.id === 'transects' || overlay.id === 'zones' ? 'pointer' : '';
    const sourceLayer = feature.sourceLayer;
    if (hovered?.id !== feature.id || hovered?.source !== feature.source) {
      clearHover();
      if (feature.id !== undefined && sourceLayer !== undefined) {
        hovered = { source: feature.source, sourceLayer, id: feature.id };
        map.setFeatureState({ source: feature.source, sourceLayer, id: feature.id }, { hover: true });
      }
    }
    popup.setLngLat(event.lngLat).setText(describeFeature(overlay.id, feature.properties)).addTo(map);
  });

  map.getCanvas().addEventListener('mouseleave', () => {
    map.getCanvas().style.cursor = '';
    clearHover();
    popup.remove();
  });
}
