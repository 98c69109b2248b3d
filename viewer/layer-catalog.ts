/** The overlays the analyst can switch on and off, bottom to top, with the map layers each one draws. */

export type OverlayId = 'hazard' | 'change' | 'zones' | 'forecasts' | 'shorelines' | 'transects' | 'sites';

export interface OverlayDef {
  id: OverlayId;
  title: string;
  /** Tile layer served at /tiles/{tileLayer}.json, or null for data read from the OGC API. */
  tileLayer: string | null;
  /** MapLibre style layer ids drawn for this overlay (toggled together). */
  styleLayers: readonly string[];
  /** Style layers whose features hover and click look at. */
  queryLayers: readonly string[];
}

export const OVERLAYS: readonly OverlayDef[] = [
  {
    id: 'hazard',
    title: 'Hazard zone',
    tileLayer: 'hazard',
    styleLayers: ['hazard-fill', 'hazard-outline'],
    queryLayers: ['hazard-fill'],
  },
  {
    id: 'change',
    title: 'Erosion and accretion',
    tileLayer: 'change',
    styleLayers: ['change-fill'],
    queryLayers: ['change-fill'],
  },
  {
    id: 'zones',
    title: 'Aquaculture zones',
    tileLayer: 'zones',
    styleLayers: ['zones-fill', 'zones-outline', 'zones-selected'],
    queryLayers: ['zones-fill'],
  },
  {
    id: 'forecasts',
    title: 'Forecast shorelines',
    tileLayer: 'forecasts',
    styleLayers: ['forecasts-band', 'forecasts-line-near', 'forecasts-line-far'],
    queryLayers: ['forecasts-line-near', 'forecasts-line-far', 'forecasts-band'],
  },
  {
    id: 'shorelines',
    title: 'Shorelines',
    tileLayer: 'shorelines',
    styleLayers: ['shorelines-hover', 'shorelines'],
    queryLayers: ['shorelines'],
  },
  {
    id: 'transects',
    title: 'Transects (LRR)',
    tileLayer: 'transects',
    styleLayers: ['transects-selected', 'transects'],
    queryLayers: ['transects'],
  },
  {
    id: 'sites',
    title: 'Site outlines',
    tileLayer: null,
    styleLayers: ['sites-outline'],
    queryLayers: ['sites-outline'],
  },
];

export const OVERLAY_IDS: readonly OverlayId[] = OVERLAYS.map((o) => o.id);

export function overlayById(id: string): OverlayDef | undefined {
  return OVERLAYS.find((o) => o.id === id);
}

/** The overlay a style layer belongs to (for hover and click on a rendered feature). */
export function overlayOfStyleLayer(styleLayerId: string): OverlayDef | undefined {
  return OVERLAYS.find((o) => o.styleLayers.includes(styleLayerId));
}

/** Which overlay the pointer means when several are under it: thin, specific features first. */
export const HOVER_PREFERENCE: readonly OverlayId[] = [
  'transects',
  'zones',
  'forecasts',
  'shorelines',
  'change',
  'hazard',
  'sites',
];
