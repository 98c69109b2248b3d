import type { MapGeoJSONFeature, Map as MapLibreMap } from 'maplibre-gl';
import { createDetailsPanel } from './details-panel.ts';
import type { Padding } from './map-padding.ts';
import { fetchTransectSeries } from './transect-api.ts';
import { renderTransectDetails } from './transect-panel.ts';
import { fetchZone, zoneRiskFromTile } from './zone-api.ts';
import { renderZoneDetails } from './zone-panel.ts';

export interface Selection {
  openTransect(feature: MapGeoJSONFeature): void;
  /** Opens a transect by id (from the site summary) and brings it into view. */
  openTransectById(id: number): void;
  openZone(feature: MapGeoJSONFeature): void;
  /** Outlines the selected feature again after the map replaced the sources (another site was chosen). */
  restoreOutline(): void;
}

interface Selected {
  source: string;
  id: number;
}

function featureId(feature: MapGeoJSONFeature): number | null {
  const id = typeof feature.id === 'number' ? feature.id : feature.properties.id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the analyst clicked: the feature is outlined on the map (feature-state `selected`) and the details
 * panel shows its transect chart or zone risk, fetched from the API. Closing the panel clears the outline.
 */
export function createSelection(
  map: MapLibreMap,
  panelRoot: HTMLElement,
  opts: {
    /** The part of the map not under a panel, as MapLibre padding: a transect shown is framed inside it. */
    clearPadding(): Padding;
    /** Where the focus goes when the panel closes and what opened it is no longer shown. */
    fallbackFocus(): HTMLElement | null;
  },
): Selection {
  let selected: Selected | null = null;
  let inFlight: AbortController | null = null;

  const setSelected = (next: Selected | null) => {
    if (selected && map.getSource(selected.source)) {
      map.setFeatureState(
        { source: selected.source, sourceLayer: selected.source, id: selected.id },
        { selected: false },
      );
    }
    selected = next;
    if (next && map.getSource(next.source)) {
      map.setFeatureState({ source: next.source, sourceLayer: next.source, id: next.id }, { selected: true });
    }
  };

  const panel = createDetailsPanel(
    panelRoot,
    () => {
      inFlight?.abort();
      setSelected(null);
    },
    opts.fallbackFocus,
  );

  const startRequest = () => {
    inFlight?.abort();
    inFlight = new AbortController();
    return inFlight.signal;
  };

  /**
   * Frames a transect in the part of the map no panel covers, unless it is already all there (opened from
   * the summary, it may be anywhere, or under the panel that now shows it). Measured once the panel is
   * filled, as its height (a bottom sheet on a phone) depends on its content.
   */
  const reveal = (line: [number, number][]) => {
    const padding = opts.clearPadding();
    const { clientWidth: width, clientHeight: height } = map.getContainer();
    const inView = line.every((lngLat) => {
      const p = map.project(lngLat);
      return (
        p.x >= padding.left &&
        p.x <= width - padding.right &&
        p.y >= padding.top &&
        p.y <= height - padding.bottom
      );
    });
    if (inView) return;
    const lngs = line.map((p) => p[0]);
    const lats = line.map((p) => p[1]);
    map.fitBounds(
      [
        [Math.min(...lngs), Math.min(...lats)],
        [Math.max(...lngs), Math.max(...lats)],
      ],
      { padding, maxZoom: Math.max(map.getZoom(), 14), duration: 0 },
    );
  };

  const openTransectById = (id: number, title: string, show: boolean) => {
    setSelected({ source: 'transects', id });
    const token = panel.open('transect', title);
    delete panelRoot.dataset.zoneId;
    panelRoot.dataset.transectId = String(id);
    const signal = startRequest();
    fetchTransectSeries(id, signal)
      .then((series) => {
        // Opened by id (from the summary), the transect's number is known only now.
        panel.fill(token, renderTransectDetails(series), `Transect ${series.transectNo}`);
        if (show && series.line) reveal(series.line);
      })
      .catch((err: unknown) => {
        if (!signal.aborted) panel.fail(token, `Could not load the transect: ${message(err)}`);
      });
  };

  return {
    openTransect(feature) {
      const id = featureId(feature);
      if (id === null) return;
      const no = feature.properties.transect_no;
      openTransectById(id, typeof no === 'number' ? `Transect ${no}` : 'Transect', false);
    },
    openTransectById: (id) => openTransectById(id, 'Transect', true),
    restoreOutline: () => setSelected(selected),
    openZone(feature) {
      let risk: ReturnType<typeof zoneRiskFromTile>;
      try {
        risk = zoneRiskFromTile({ ...feature.properties, id: featureId(feature) });
      } catch {
        return;
      }
      setSelected({ source: 'zones', id: risk.id });
      const token = panel.open('zone', risk.name ?? `Zone ${risk.id}`);
      delete panelRoot.dataset.transectId;
      panelRoot.dataset.zoneId = String(risk.id);
      const signal = startRequest();
      fetchZone(risk.id, signal)
        .then((detail) => panel.fill(token, renderZoneDetails(risk, detail)))
        .catch((err: unknown) => {
          if (signal.aborted) return;
          // The risk figures come from the tile and stay useful; say what could not be loaded.
          const note = document.createElement('p');
          note.className = 'error';
          note.textContent = `Zone details could not be loaded: ${message(err)}`;
          panel.fill(token, [...renderZoneDetails(risk, null), note]);
        });
    },
  };
}
