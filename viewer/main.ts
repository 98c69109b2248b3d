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
import { HOVER_PREFERENCE, OVERLAYS, overlayById } from './layer-catalog.ts';
import { overlayLegend } from './layer-legends.ts';
import { createLayerPanel } from './layer-panel.ts';
import { describeMapError, UNREACHABLE_MAP_TEXT } from './map-errors.ts';
import { paddingClearOf } from './map-padding.ts';
import { trackMapReadiness } from './map-readiness.ts';
import { buildMapStyle } from './map-style.ts';
import { fetchAllItems } from './ogc-api.ts';
import { type ReportFormat, reportFormatsFromOpenApi } from './report-links.ts';
import { createSelection } from './selection.ts';
import { fetchSites, type SiteInfo } from './site-api.ts';
import { createSiteController } from './site-controller.ts';
import { createStatusBanner } from './status-banner.ts';
import { loadTileScope, overlayAvailability, type TileScope } from './tile-scope.ts';
import { createTimeControl } from './time-control.ts';
import { missingSiteNotice, readViewState, type ViewState, writeViewState } from './view-state.ts';
import { changePeriodFilter, clampYearWindow, shorelineYearFilter, type YearWindow } from './year-filter.ts';

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

/** The bounds of the scope's shorelines (TileJSON announces the world when there are none). */
function dataBounds(scope: TileScope): LngLatBoundsLike | null {
  const shore = scope.tileJsons.shorelines;
  if (shore?.years) return shore.bounds;
  return null;
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

  // The selected site: the URL's; on a bare URL, the only one there is (a URL with state but no site means
  // "all sites", so that choice survives a reload too).
  const bareUrl = linkSearch === '';
  const initialSite = (list: readonly SiteInfo[]): SiteInfo | null =>
    list.find((s) => s.slug === initial.site) ?? (bareUrl && list.length === 1 ? list[0]! : null);
  const sitesLoad = fetchSites().catch((err: unknown): SiteInfo[] => {
    sitesError = err instanceof Error ? err.message : String(err);
    return [];
  });
  const [sites, firstScope, outlines, reportFormats] = await Promise.all([
    sitesLoad,
    // The tile layers of the selected site only: its TileJSON gives tile URLs that carry the site filter.
    sitesLoad.then((list) => loadTileScope(initialSite(list)?.slug ?? null, document.baseURI)),
    fetchAllItems('sites').catch((err: unknown): FeatureCollection => {
      outlinesError = err instanceof Error ? err.message : String(err);
      return { type: 'FeatureCollection', features: [] };
    }),
    getJson('openapi.json').then(reportFormatsFromOpenApi, () => new Set<ReportFormat>()),
  ]);

  let site = initialSite(sites);
  /** What the tile layers show: the selected site's data, or all sites'. */
  let scope: TileScope = firstScope;

  /** The years of the record: a chosen site's own (its map shows no other), or those of all sites. */
  const recordYearsOf = (s: SiteInfo | null): number[] | null => {
    if (s && s.years.length > 0) return s.years;
    if (s === null) {
      const all = [...new Set(sites.flatMap((x) => x.years))].sort((a, b) => a - b);
      if (all.length > 0) return all;
    }
    // The scope's shorelines TileJSON: the chosen site's, when there is one.
    const announced = scope.tileJsons.shorelines?.years;
    return announced ? yearsBetween({ from: announced.min, to: announced.max }) : null;
  };
  let recordYears = recordYearsOf(site);
  const thisYear = new Date().getFullYear();
  let record: YearWindow = recordYears
    ? { from: recordYears[0]!, to: recordYears[recordYears.length - 1]! }
    : { from: thisYear, to: thisYear };
  let yearWindow = clampYearWindow(initial, record);

  /** The external basemap the overlays are drawn over, if one is configured and could be read. */
  let basemap: StyleSpecification | null = null;
  /** The whole style for the current state: scope, record, year window, layers switched off. */
  const composeStyle = (): StyleSpecification => {
    const ours = buildMapStyle({
      tileJsons: scope.tileJsons,
      record,
      window: yearWindow,
      hidden,
      sites: outlines,
    });
    return basemap ? mergeBasemap(ours, basemap) : ours;
  };
  let style = composeStyle();
  const basemapUrl = parseBasemapStyleUrl(
    document.querySelector(`meta[name="${BASEMAP_META_NAME}"]`)?.getAttribute('content'),
  );
  if (basemapUrl !== null) {
    try {
      const external = (await getJson(basemapUrl)) as StyleSpecification;
      style = mergeBasemap(style, external);
      basemap = external;
    } catch (err) {
      status.set(
        'basemap',
        `External basemap unavailable (${err instanceof Error ? err.message : String(err)}): offline background shown.`,
        'error',
      );
    }
  }

  const siteBounds = (s: SiteInfo | null): LngLatBoundsLike | null => s?.bbox ?? null;
  const initialBounds = siteBounds(site) ?? dataBounds(scope);
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
  const readiness = trackMapReadiness(map, ['shorelines', 'transects']);
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
      readiness.markBusy();
      syncUrl();
    },
  });
  const refreshLegends = () => {
    for (const overlay of OVERLAYS)
      layerPanel.setLegend(overlay.id, overlayLegend(overlay.id, recordYears ?? [], yearWindow));
  };
  refreshLegends();
  if (outlinesError !== null) layerPanel.disable('sites', outlinesError);
  /** The toggles and the banner follow the scope: what it cannot draw is disabled, with the reason. */
  const describeScope = () => {
    for (const [id, reason] of overlayAvailability(scope)) {
      if (reason === null) layerPanel.enable(id);
      else layerPanel.disable(id, reason);
    }
    const shorelines = scope.tileJsons.shorelines;
    if (shorelines && !shorelines.years) {
      status.set(
        'data',
        site
          ? `No shorelines stored for ${site.name} yet: ingest scenes with \`tidemark ingest --site ${site.slug}\`.`
          : 'No shorelines stored yet: ingest scenes with `tidemark ingest`.',
      );
    } else status.clear('data');
  };

  // Years: the slider and play button filter shorelines and change on the client.
  const applyWindow = (w: YearWindow) => {
    yearWindow = w;
    for (const layer of ['shorelines', 'shorelines-hover']) {
      if (map.getLayer(layer)) map.setFilter(layer, shorelineYearFilter(w));
    }
    if (map.getLayer('change-fill')) map.setFilter('change-fill', changePeriodFilter(w));
    layerPanel.setLegend('shorelines', overlayLegend('shorelines', recordYears ?? [], w));
    readiness.markBusy();
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
      // The choice is in the URL at once; the years and the view follow with the site's layers.
      syncUrl();
      showSite();
    },
  });

  /** Counts site choices, so the scope of an earlier choice that arrives late is dropped. */
  let scopeRequests = 0;
  /**
   * Shows the selected site (or all sites): the TileJSON of every tile layer for it, then in one go the
   * sources' tile URLs (MapLibre's style diff replaces each source whose URLs changed, with the layers drawn
   * from it), the record's years, colour ramp and window, the toggles, and the view fitted to the site.
   */
  const showSite = () => {
    const request = ++scopeRequests;
    // Busy until the site's layers are drawn: an idle map before their TileJSON came is not showing it.
    readiness.hold();
    loadTileScope(site?.slug ?? null, document.baseURI)
      .then((loaded) => {
        if (request !== scopeRequests) return;
        status.clear('scope');
        scope = loaded;
        // Reloaded once the server answers again (connection.onBack below).
        if (loaded.unreachable) connection.lost();
        else connection.reached();
        recordYears = recordYearsOf(site);
        if (recordYears) record = { from: recordYears[0]!, to: recordYears[recordYears.length - 1]! };
        yearWindow = record;
        time.setRecord(recordYears, recordYears ? yearWindow : null);
        refreshLegends();
        describeScope();
        map.setStyle(composeStyle(), { diff: true });
        selection.restoreOutline();
        const bounds = siteBounds(site) ?? dataBounds(scope);
        if (bounds) map.fitBounds(bounds, { padding: fitPadding(), duration: 0 });
        readiness.release();
        syncUrl();
      })
      .catch((err: unknown) => {
        if (request !== scopeRequests) return;
        status.set(
          'scope',
          `Could not show the site: ${err instanceof Error ? err.message : String(err)}`,
          'error',
        );
        readiness.release();
      });
  };
  sitesController.init(sites, site);
  connection.onBack(() => {
    sitesController.retry();
    if (scope.unreachable) showSite();
  });
  if (scope.unreachable) connection.lost();
  status.clear('start');
  describeScope();
  if (sitesError !== null) status.set('sites', `Could not load the sites: ${sitesError}`, 'error');
  else {
    // A link to a site that is not (or no longer) here falls back to all sites: say so rather than hide it.
    const notice = missingSiteNotice(
      linkSearch,
      sites.map((s) => s.slug),
    );
    if (notice !== null) status.set('link', notice);
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
