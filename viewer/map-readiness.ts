import type { Map as MapLibreMap } from 'maplibre-gl';

/**
 * What tests and scripts wait on instead of guessing (docs/viewer.md, "For tests and scripts"), written on
 * `<body>`: `data-map-state` (idle once everything in view is drawn, busy after a change until it is again),
 * `data-first-idle-ms` and `data-first-features-ms` (ms from the start of navigation, as the analyst waits).
 */
export interface MapReadiness {
  /** A change that redraws: busy until the map is idle again. */
  markBusy(): void;
  /**
   * What the map is to show is still on its way (a chosen site's TileJSON): busy, whatever the map does
   * meanwhile, until `release`, which then counts as a change that redraws.
   */
  hold(): void;
  release(): void;
}

/** Must be attached before the map's first frame, so the first idle cannot be missed. */
export function trackMapReadiness(map: MapLibreMap, featureLayers: readonly string[]): MapReadiness {
  const body = document.body.dataset;
  let held = false;
  map.once('idle', () => {
    body.firstIdleMs = String(Math.round(performance.now()));
    body.mapState = held ? 'busy' : 'idle';
  });
  const firstFeatures = () => {
    const layers = featureLayers.filter((id) => map.getLayer(id));
    if (layers.length === 0 || map.queryRenderedFeatures({ layers }).length === 0) return;
    body.firstFeaturesMs = String(Math.round(performance.now()));
    map.off('render', firstFeatures);
  };
  map.on('render', firstFeatures);

  const markBusy = () => {
    // Before the first idle the state is not written yet: that idle writes it.
    if (body.mapState === undefined) return;
    body.mapState = 'busy';
    if (held) return;
    map.once('idle', () => {
      // An idle from before a hold does not end it.
      if (!held) body.mapState = 'idle';
    });
    map.triggerRepaint();
  };
  return {
    markBusy,
    hold() {
      held = true;
      markBusy();
    },
    release() {
      held = false;
      markBusy();
    },
  };
}
