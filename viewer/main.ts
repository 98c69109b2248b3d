import type { FeatureCollection } from 'geojson';
import {
  AttributionControl,
  type LngLatBoundsLike,
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  type StyleSpecification,
  setWorkerUrl,
  type VectorTileSource,
} from 'maplibre-gl';
import { BASEMAP_META_NAME, mergeBasemap, parseBasemapStyleUrl } from './basemap.ts';
import { createConnectionMonitor } from './connection-monitor.ts';
import { attachHoverTooltip, topFeatureAt } from './hover-tooltip.ts';
import { apiUrl, getJson } from './http-json.ts';
import { HOVER_PREFERENCE, OVERLAYS, type OverlayId, overlayById } from './layer-catalog.ts';
import { overlayLegend } from './layer-legends.ts';
import { createLayerPanel } from './layer-panel.ts';
import { describeMapError, UNREACHABLE_MAP_TEXT } from './map-errors.ts';
import { paddingClearOf } from './map-padding.ts';
import { buildMapStyle } from './map-style.ts';
import { fetchAllItems } from './ogc-api.ts';
import { type ReportFormat, reportFormatsFromOpenApi } from './report-links.ts';
import { createSelection } from './selection.ts';
import { fetchSites, type SiteInfo } from './site-api.ts';
import { createSiteController } from './site-controller.ts';
import { createStatusBanner } from './status-banner.ts';
import { fetchTileJson, type ViewerTileJson } from './tilejson-client.ts';
import { createTimeControl } from './time-control.ts';
import { missingSiteNotice, readViewState, type ViewState, writeViewState } from './view-state.ts';
import {
  changeOpacityExpression,
  changePeriodFilter,
  clampYearWindow,
  shorelineYearFilter,
  type YearWindow,
} from './year-filter.ts';
import { yearColorExpression } from './year-ramp.ts';

/** Replaced at build time by the hashed path of MapLibre's worker (see build-viewer.ts). */
declare const TIDEMARK_WORKER_URL: string;

declare global {
  interface Window {
    /** The map, for tests and for poking at it from the console. */
    map?: MapLibreMap;
  }
}

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
}

const status = createStatusBanner(byId('status'));

/** Room around fitted bounds: on wide screens the controls column covers the map's left side. */
function fitPadding(): { top: number; bottom: number; left: number; right: number } {
  const wide = window.matchMedia('(min-width: 641px)').matches;
  return wide ? { top: 40, bottom: 40, left: 340, right: 60 } : { top: 64, bottom: 24, left: 24, right: 24 };
}

/** Every whole year from `from` to `to`. */
function yearsBetween(window: YearWindow): number[] {
  return Array.from({ length: window.to - window.from + 1 }, (_, i) => window.from + i);
}

/** The part of the map that no panel covers (title bar, controls, details panel), as MapLibre padding. */
function clearPadding() {
  const panels = [document.querySelector<HTMLElement>('.app-bar'), byId('controls'), byId('details')]
    .filter((el): el is HTMLElement => el?.checkVisibility() === true)
    .map((el) => el.getBoundingClientRect());
  return paddingClearOf(byId('map').getBoundingClientRect(), panels, 24);
}

/** The union of the bounds of the layers that have data (TileJSON announces the world when empty). */
function dataBounds(tileJsons: Partial<Record<OverlayId, ViewerTileJson>>): LngLatBoundsLike | null {
  const shore = tileJsons.shorelines;
  if (shore?.years) return shore.bounds;
  return null;
}

async function loadTileJsons(): Promise<{
  tileJsons: Partial<Record<OverlayId, ViewerTileJson>>;
  failures: Map<OverlayId, string>;
}> {
  const tileJsons: Partial<Record<OverlayId, ViewerTileJson>> = {};
  const failures = new Map<OverlayId, string>();
  await Promise.all(
    OVERLAYS.filter((o) => o.tileLayer !== null).map(async (o) => {
      const outcome = await fetchTileJson(new URL(`tiles/${o.tileLayer}.json`, document.baseURI).href);
      if (outcome.ok) tileJsons[o.id] = outcome.tileJson;
      else failures.set(o.id, outcome.reason);
    }),
  );
  return { tileJsons, failures };
}

async function start(): Promise<void> {
  status.set('start', 'Loading…');
  setWorkerUrl(new URL(TIDEMARK_WORKER_URL, document.baseURI).href);
  // As opened, before the page rewrites it.
  const linkSearch = window.location.search;
  const initial: ViewState = readViewState(linkSearch);
  const hidden = new Set<string>(initial.hidden ?? []);
  let sitesError: string | null = null;
  let outlinesError: string | null = null;

  const [{ tileJsons, failures }, sites, outlines, reportFormats] = await Promise.all([
    loadTileJsons(),
    fetchSites().catch((err: unknown): SiteInfo[] => {
      sitesError = err instanceof Error ? err.message : String(err);
      return [];
    }),
    fetchAllItems('sites').catch((err: unknown): FeatureCollection => {
      outlinesError = err instanceof Error ? err.message : String(err);
      return { type: 'FeatureCollection', features: [] };
    }),
    getJson('openapi.json').then(reportFormatsFromOpenApi, () => new Set<ReportFormat>()),
  ]);

  // The selected site: the URL's; on a bare URL, the only one there is (a URL with state but no site means
  // "all sites", so that choice survives a reload too).
  const bareUrl = linkSearch === '';
  let site: SiteInfo | null =
    sites.find((s) => s.slug === initial.site) ?? (bareUrl && sites.length === 1 ? sites[0]! : null);

  const recordYearsOf = (s: SiteInfo | null): number[] | null => {
    if (s && s.years.length > 0) return s.years;
    const all = [...new Set(sites.flatMap((x) => x.years))].sort((a, b) => a - b);
    if (all.length > 0) return all;
    const announced = tileJsons.shorelines?.years;
    return announced ? yearsBetween({ from: announced.min, to: announced.max }) : null;
  };
  let recordYears = recordYearsOf(site);
  const thisYear = new Date().getFullYear();
  let record: YearWindow = recordYears
    ? { from: recordYears[0]!, to: recordYears[recordYears.length - 1]! }
    : { from: thisYear, to: thisYear };
  let yearWindow = clampYearWindow(initial, record);

  let style: StyleSpecification = buildMapStyle({
    tileJsons,
    record,
    window: yearWindow,
    hidden,
    sites: outlines,
  });
  const basemapUrl = parseBasemapStyleUrl(
    document.querySelector(`meta[name="${BASEMAP_META_NAME}"]`)?.getAttribute('content'),
  );
  if (basemapUrl !== null) {
    try {
      style = mergeBasemap(style, (await getJson(basemapUrl)) as StyleSpecification);
    } catch (err) {
      status.set(
        'basemap',
        `External basemap unavailable (${err instanceof Error ? err.message : String(err)}): offline background shown.`,
        'error',
      );
    }
  }

  const siteBounds = (s: SiteInfo | null): LngLatBoundsLike | null => s?.bbox ?? null;
  const initialBounds = siteBounds(site) ?? dataBounds(tileJsons);
  const map = new MapLibreMap({
    container: 'map',
    style,
    ...(initial.center && initial.zoom !== undefined
      ? { center: initial.center, zoom: initial.zoom }
      : initialBounds
        ? { bounds: initialBounds, fitBoundsOptions: { padding: fitPadding() } }
        : { center: [0, 0], zoom: 1 }),
    attributionControl: false,
    // Rendering must not depend on fonts or images from elsewhere; there are no symbol layers.
    localIdeographFontFamily: false,
  });
  window.map = map;
  // Attached before the first frame, so the first idle (style, sources and visible tiles all loaded) cannot be
  // missed: tests and scripts wait for this attribute instead of guessing. Both times count from the start of
  // navigation (performance.now()), as the analyst waits.
  map.once('idle', () => {
    document.body.dataset.firstIdleMs = String(Math.round(performance.now()));
    document.body.dataset.mapState = 'idle';
  });
  const firstFeatures = () => {
    const layers = ['shorelines', 'transects'].filter((id) => map.getLayer(id));
    if (layers.length === 0 || map.queryRenderedFeatures({ layers }).length === 0) return;
    document.body.dataset.firstFeaturesMs = String(Math.round(performance.now()));
    map.off('render', firstFeatures);
  };
  map.on('render', firstFeatures);
  /** After a change that redraws, `data-map-state` reads busy until the map is idle again. */
  const markBusy = () => {
    if (document.body.dataset.mapState === undefined) return;
    document.body.dataset.mapState = 'busy';
    map.once('idle', () => {
      document.body.dataset.mapState = 'idle';
    });
    map.triggerRepaint();
  };
  map.addControl(new NavigationControl({ visualizePitch: false }), 'bottom-right');
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
  map.addControl(new AttributionControl({ compact: true, customAttribution: 'Tidemark' }), 'bottom-right');

  // The server going away and coming back: the banner says so in words, and once it answers again (a tile
  // loads, or the monitor's probe of /healthz does) the map fetches what it missed and the banner goes.
  const connection = createConnectionMonitor({
    probe: () => fetch(apiUrl('healthz'), { cache: 'no-store' }).then(() => true),
    onLost: () => status.set('connection', UNREACHABLE_MAP_TEXT, 'error'),
  });
  /** Sources with tiles that got no answer: MapLibre does not ask for an errored tile again by itself. */
  const unreachableSources = new Set<string>();
  connection.onBack(() => {
    status.clear('connection');
    for (const id of unreachableSources) {
      const source = map.getSource<VectorTileSource>(id);
      // Setting the same tiles reloads every tile of the source, the errored ones too (a plain reload skips them).
      if (source?.type === 'vector') source.setTiles(source.tiles);
    }
    unreachableSources.clear();
  });
  map.on('error', (event) => {
    const { sourceId } = event as { sourceId?: unknown };
    const source = typeof sourceId === 'string' ? sourceId : undefined;
    const problem = describeMapError(event.error, source);
    if (problem.kind === 'unreachable') {
      if (source !== undefined) unreachableSources.add(source);
      connection.lost();
    } else if (problem.kind === 'source') status.set(`source:${problem.sourceId}`, problem.text, 'error');
    else status.set('map', problem.text, 'error');
  });
  map.on('data', (event) => {
    if (event.dataType !== 'source' || !('tile' in event) || event.tile === undefined) return;
    // A tile arrived: the server answers, and this source's earlier failure is over.
    connection.reached();
    status.clear(`source:${event.sourceId}`);
  });

  const syncUrl = () => {
    const c = map.getCenter();
    const state: ViewState = {
      ...(site ? { site: site.slug } : {}),
      ...(recordYears ? { from: yearWindow.from, to: yearWindow.to } : {}),
      center: [c.lng, c.lat],
      zoom: map.getZoom(),
      hidden: [...hidden],
    };
    const search = writeViewState(state);
    if (search !== window.location.search)
      window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  };
  map.on('moveend', syncUrl);

  // Layers: toggles and legends.
  const layerPanel = createLayerPanel(byId('layer-list'), {
    hidden,
    onToggle(id, visible) {
      if (visible) hidden.delete(id);
      else hidden.add(id);
      const overlay = OVERLAYS.find((o) => o.id === id)!;
      for (const layer of overlay.styleLayers) {
        if (map.getLayer(layer)) map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
      }
      markBusy();
      syncUrl();
    },
  });
  const refreshLegends = () => {
    for (const overlay of OVERLAYS)
      layerPanel.setLegend(overlay.id, overlayLegend(overlay.id, recordYears ?? [], yearWindow));
  };
  refreshLegends();
  for (const [id, reason] of failures) layerPanel.disable(id, reason);
  if (outlinesError !== null) layerPanel.disable('sites', outlinesError);
  if (tileJsons.shorelines && !tileJsons.shorelines.years)
    layerPanel.disable('shorelines', 'no shorelines stored yet');

  // Years: the slider and play button filter shorelines and change on the client.
  const applyWindow = (w: YearWindow) => {
    yearWindow = w;
    for (const layer of ['shorelines', 'shorelines-hover']) {
      if (map.getLayer(layer)) map.setFilter(layer, shorelineYearFilter(w));
    }
    if (map.getLayer('change-fill')) map.setFilter('change-fill', changePeriodFilter(w));
    layerPanel.setLegend('shorelines', overlayLegend('shorelines', recordYears ?? [], w));
    markBusy();
    syncUrl();
  };
  const time = createTimeControl(
    {
      from: byId('year-from'),
      to: byId('year-to'),
      fromValue: byId('year-from-value'),
      toValue: byId('year-to-value'),
      play: byId('play'),
    },
    applyWindow,
  );
  time.setRecord(recordYears, recordYears ? yearWindow : null);

  // Inspect: click a transect or a zone for the details panel; hover for a tooltip.
  const toggle = byId<HTMLButtonElement>('controls-toggle');
  const controls = byId('controls');
  const selection = createSelection(map, byId('details'), {
    clearPadding,
    // On a phone the button that opened the panel may be folded away with the controls.
    fallbackFocus: () => (toggle.checkVisibility() ? toggle : byId('map').querySelector('canvas')),
  });
  attachHoverTooltip(map, () =>
    HOVER_PREFERENCE.filter((id) => !hidden.has(id)).flatMap((id) => overlayById(id)?.queryLayers ?? []),
  );
  map.on('click', (event) => {
    const transect = hidden.has('transects') ? undefined : topFeatureAt(map, event.point, ['transects']);
    if (transect) {
      selection.openTransect(transect);
      return;
    }
    const zone = hidden.has('zones') ? undefined : topFeatureAt(map, event.point, ['zones-fill']);
    if (zone) selection.openZone(zone);
  });

  // Sites: the switcher fits the map to the site, the summary and report links follow it.
  const sitesController = createSiteController({
    select: byId('site-select'),
    summary: byId('site-summary'),
    reportButtons: byId('reports').querySelector<HTMLElement>('.report-buttons')!,
    reportNote: byId('reports-note'),
    reportFormats,
    onShowTransect(id) {
      // On a phone the controls cover the map: fold them, so the transect can be seen beside its chart.
      setControlsOpen(false);
      selection.openTransectById(id);
    },
    onUnreachable: () => connection.lost(),
    onSelect(next) {
      status.clear('link');
      site = next;
      recordYears = recordYearsOf(site);
      if (recordYears) record = { from: recordYears[0]!, to: recordYears[recordYears.length - 1]! };
      yearWindow = record;
      time.setRecord(recordYears, recordYears ? yearWindow : null);
      // The colour ramp and the change opacity span the site's own record.
      if (map.getLayer('shorelines')) {
        map.setPaintProperty(
          'shorelines',
          'line-color',
          yearColorExpression('year', { minYear: record.from, maxYear: record.to }),
        );
      }
      if (map.getLayer('change-fill'))
        map.setPaintProperty('change-fill', 'fill-opacity', changeOpacityExpression(record));
      refreshLegends();
      applyWindow(yearWindow);
      const bounds = siteBounds(site) ?? dataBounds(tileJsons);
      if (bounds) map.fitBounds(bounds, { padding: fitPadding(), duration: 0 });
      syncUrl();
    },
  });
  sitesController.init(sites, site);
  connection.onBack(() => sitesController.retry());
  status.clear('start');
  if (sitesError !== null) status.set('sites', `Could not load the sites: ${sitesError}`, 'error');
  else {
    // A link to a site that is not (or no longer) here falls back to all sites: say so rather than hide it.
    const notice = missingSiteNotice(
      linkSearch,
      sites.map((s) => s.slug),
    );
    if (notice !== null) status.set('link', notice);
    if (!tileJsons.shorelines?.years)
      status.set('data', 'No shorelines stored yet: ingest scenes with `tidemark ingest`.');
  }

  // Mobile: the controls fold away behind a button so the map keeps the screen.
  function setControlsOpen(open: boolean): void {
    toggle.setAttribute('aria-expanded', String(open));
    controls.classList.toggle('open', open);
  }
  toggle.addEventListener('click', () => setControlsOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  map.once('load', syncUrl);
}

start().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  status.clear('start');
  status.set('failed', message, 'error');
  console.error(err);
});
