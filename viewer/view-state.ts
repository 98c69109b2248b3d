import { OVERLAY_IDS } from './layer-catalog.ts';

/**
 * What the page URL keeps, so a reload or a shared link shows the same map: the site, the year range, the
 * view (centre and zoom) and the layers switched off.
 */
export interface ViewState {
  site?: string;
  from?: number;
  to?: number;
  /** [longitude, latitude] in degrees. */
  center?: [number, number];
  zoom?: number;
  /** Ids of overlay layers switched off (absent: all on); only ids of layer-catalog.ts's overlays. */
  hidden?: string[];
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const YEAR = /^\d{4}$/;
const DECIMAL = /^-?\d{1,3}(\.\d{1,10})?$/;
/** Web Mercator's latitude limit. */
const MAX_LAT = 85.0511;
const MAX_ZOOM = 24;

function readDecimal(params: URLSearchParams, name: string, limit: number, min = -limit): number | undefined {
  const raw = params.get(name);
  if (raw === null || !DECIMAL.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= limit ? value : undefined;
}

/**
 * Reads `?site=&from=&to=&lng=&lat=&z=&hide=` from a page URL's search string. Malformed or out-of-range
 * values, and layers the map does not have, are dropped (the map then falls back to its defaults), never
 * passed on.
 */
export function readViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const state: ViewState = {};
  const site = params.get('site');
  if (site !== null && site.length <= 63 && SLUG.test(site)) state.site = site;
  const from = params.get('from');
  if (from !== null && YEAR.test(from)) state.from = Number(from);
  const to = params.get('to');
  if (to !== null && YEAR.test(to)) state.to = Number(to);
  if (state.from !== undefined && state.to !== undefined && state.from > state.to) {
    delete state.from;
    delete state.to;
  }
  const lng = readDecimal(params, 'lng', 180);
  const lat = readDecimal(params, 'lat', MAX_LAT);
  const zoom = readDecimal(params, 'z', MAX_ZOOM, 0);
  // A centre without a zoom (or the reverse) is half a view: ignore both rather than guess.
  if (lng !== undefined && lat !== undefined && zoom !== undefined) {
    state.center = [lng, lat];
    state.zoom = zoom;
  }
  const hide = params.get('hide');
  if (hide !== null && hide !== '') {
    const known: readonly string[] = OVERLAY_IDS;
    const ids = [...new Set(hide.split(','))].filter((id) => known.includes(id));
    if (ids.length > 0) state.hidden = ids.sort();
  }
  return state;
}

/**
 * What to tell the analyst when the link names a site that is not among `slugs` (the map then shows all
 * sites), or null when there is nothing to say. A malformed name is not repeated back: only a well-formed
 * slug is quoted.
 */
export function missingSiteNotice(search: string, slugs: readonly string[]): string | null {
  const site = new URLSearchParams(search).get('site');
  if (site === null || site === '' || slugs.includes(site)) return null;
  return readViewState(search).site === site
    ? `The site "${site}" in the link does not exist: all sites are shown.`
    : 'The site in the link is not a valid site name: all sites are shown.';
}

/** The state as a search string ("" or "?…"), in a fixed order, with the view rounded to what matters. */
export function writeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.site !== undefined) params.set('site', state.site);
  if (state.from !== undefined) params.set('from', String(state.from));
  if (state.to !== undefined) params.set('to', String(state.to));
  if (state.center !== undefined && state.zoom !== undefined) {
    // 6 decimals of a degree is ~0.1 m; 2 decimals of zoom is ~1.4 % in scale.
    params.set('lng', String(Math.round(state.center[0] * 1e6) / 1e6));
    params.set('lat', String(Math.round(state.center[1] * 1e6) / 1e6));
    params.set('z', String(Math.round(state.zoom * 100) / 100));
  }
  if (state.hidden !== undefined && state.hidden.length > 0)
    params.set('hide', [...state.hidden].sort().join(','));
  // Commas in the layer list stay readable.
  const qs = params.toString().replaceAll('%2C', ',');
  return qs === '' ? '' : `?${qs}`;
}
