import type { MapGeoJSONFeature, Map as MapLibreMap, PointLike } from 'maplibre-gl';
import { describeFeature } from './feature-description.ts';
import { overlayOfStyleLayer } from './layer-catalog.ts';
import { placeTooltip } from './tooltip-placement.ts';

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

/** Pixels kept between the tooltip and the edges of the map and of the screen. */
const EDGE_PX = 4;

/**
 * A small tooltip describing the feature under the pointer (from its tile attributes), with the feature
 * highlighted through feature-state. `layers()` lists the style layers worth hovering, preferred first.
 * The tooltip is placed by placeTooltip, whole inside the map and the viewport at any screen size.
 */
export function attachHoverTooltip(map: MapLibreMap, layers: () => readonly string[]): void {
  const container = map.getContainer();
  const tooltip = document.createElement('div');
  tooltip.className = 'feature-tooltip';
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;
  container.append(tooltip);
  let hovered: Hovered | null = null;

  /** Shows `text` next to `point` (pixels from the map's top-left corner). */
  const show = (point: { x: number; y: number }, text: string) => {
    tooltip.textContent = text;
    tooltip.hidden = false;
    // The part of the map on screen: the map box, cut by the viewport (layout viewport, scrollbars excluded).
    const box = container.getBoundingClientRect();
    const viewport = document.documentElement;
    const bounds = {
      left: Math.max(0, -box.left) + EDGE_PX,
      top: Math.max(0, -box.top) + EDGE_PX,
      right: Math.min(box.width, viewport.clientWidth - box.left) - EDGE_PX,
      bottom: Math.min(box.height, viewport.clientHeight - box.top) - EDGE_PX,
    };
    // Measured with its text in place; its CSS max-width keeps it narrower than the map.
    const size = { width: tooltip.offsetWidth, height: tooltip.offsetHeight };
    const { x, y } = placeTooltip(point, size, bounds);
    tooltip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  };
  const hide = () => {
    tooltip.hidden = true;
  };

  const clearHover = () => {
    // The source is gone when a change of site left its layer off the map.
    if (hovered !== null && map.getSource(hovered.source) !== undefined) {
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
      hide();
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
    show(event.point, describeFeature(overlay.id, feature.properties));
  });

  const leave = () => {
    map.getCanvas().style.cursor = '';
    clearHover();
    hide();
  };
  map.getCanvas().addEventListener('mouseleave', leave);
  // A moving map carries the feature away from the pointer; the next pointer move finds what is under it now.
  map.on('movestart', leave);
}
