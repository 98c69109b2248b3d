import { type MapGeoJSONFeature, type Map as MapLibreMap, Popup } from 'maplibre-gl';

/** Human text for a shoreline feature: its acquisition date, falling back to the year. */
export function describeShoreline(properties: Record<string, unknown>): string {
  const date = properties.date;
  if (typeof date === 'string' && date !== '') return `Shoreline of ${date.slice(0, 10)}`;
  const year = properties.year;
  if (typeof year === 'number') return `Shoreline of ${year}`;
  return 'Shoreline';
}

/** Shows the date of the shoreline under the pointer, and highlights it through feature-state. */
export function attachHoverTooltip(
  map: MapLibreMap,
  layerId: string,
  source: string,
  sourceLayer: string,
): void {
  const popup = new Popup({
    closeButton: false,
    closeOnClick: false,
    offset: 8,
    className: 'shoreline-tooltip',
  });
  let hovered: MapGeoJSONFeature['id'] | undefined;

  const clearHover = () => {
    if (hovered !== undefined) map.setFeatureState({ source, sourceLayer, id: hovered }, { hover: false });
    hovered = undefined;
  };

  map.on('mousemove', layerId, (event) => {
    const feature = event.features?.[0];
    if (feature === undefined) return;
    map.getCanvas().style.cursor = 'pointer';
    if (feature.id !== hovered) {
      clearHover();
      if (feature.id !== undefined) {
        hovered = feature.id;
        map.setFeatureState({ source, sourceLayer, id: hovered }, { hover: true });
      }
    }
    popup.setLngLat(event.lngLat).setText(describeShoreline(feature.properties)).addTo(map);
  });

  map.on('mouseleave', layerId, () => {
    map.getCanvas().style.cursor = '';
    clearHover();
    popup.remove();
  });
}
