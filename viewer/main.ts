import {
  AttributionControl,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import { attachHoverTooltip } from './hover-tooltip.ts';
import { renderLegend } from './legend.ts';
import { buildMapStyle, SHORELINE_LAYER, SHORELINE_SOURCE } from './map-style.ts';
import { fetchTileJson } from './tilejson-client.ts';
import { readViewState, viewStateToApiQuery } from './view-state.ts';
import type { YearRange } from './year-ramp.ts';

/** Replaced at build time by the hashed path of MapLibre's worker (see build-viewer.ts). */
declare const TIDEMARK_WORKER_URL: string;

declare global {
  interface Window {
    /** The map, for tests and for poking at it from the console. */
    map?: MapLibreMap;
  }
}

function showStatus(text: string, kind: 'info' | 'error' = 'info'): void {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = text;
  status.dataset.kind = kind;
  status.hidden = text === '';
}

async function start(): Promise<void> {
  setWorkerUrl(new URL(TIDEMARK_WORKER_URL, document.baseURI).href);
  const state = readViewState(window.location.search);
  const tileJson = await fetchTileJson(
    new URL(`tiles/shorelines.json${viewStateToApiQuery(state)}`, document.baseURI).href,
  );
  const thisYear = new Date().getFullYear();
  const years: YearRange = tileJson.years
    ? { minYear: tileJson.years.min, maxYear: tileJson.years.max }
    : { minYear: thisYear, maxYear: thisYear };

  const map = new MapLibreMap({
    container: 'map',
    style: buildMapStyle(tileJson, years),
    bounds: tileJson.bounds,
    fitBoundsOptions: { padding: 40 },
    attributionControl: false,
    // Rendering must not depend on fonts or images from elsewhere; there are no symbol layers.
    localIdeographFontFamily: false,
  });
  window.map = map;
  // Attached before the first frame, so the first idle (style, sources and visible tiles all loaded) cannot be
  // missed: tests and scripts wait for this attribute instead of guessing.
  map.once('idle', () => {
    document.body.dataset.mapState = 'idle';
  });
  map.addControl(new NavigationControl({ visualizePitch: false }), 'top-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.addControl(new AttributionControl({ compact: true, customAttribution: 'Tidemark' }), 'bottom-right');
  attachHoverTooltip(map, SHORELINE_LAYER, SHORELINE_SOURCE, 'shorelines');

  const legend = document.getElementById('legend');
  if (legend && tileJson.years) renderLegend(legend, years);
  showStatus(tileJson.years ? '' : 'No shorelines stored yet: ingest scenes with `tidemark ingest`.');
  map.on('error', (event) => showStatus(`Map error: ${event.error.message}`, 'error'));
}

start().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  showStatus(message, 'error');
  console.error(err);
});
