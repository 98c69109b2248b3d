/** The part of the page URL that selects data: which site and which years (P5 adds the view and more). */
export interface ViewState {
  site?: string;
  from?: number;
  to?: number;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const YEAR = /^\d{4}$/;

/** Reads `?site=&from=&to=` from a page URL's search string; malformed values are ignored, not sent on. */
export function readViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const state: ViewState = {};
  const site = params.get('site');
  if (site !== null && SLUG.test(site)) state.site = site;
  const from = params.get('from');
  if (from !== null && YEAR.test(from)) state.from = Number(from);
  const to = params.get('to');
  if (to !== null && YEAR.test(to)) state.to = Number(to);
  if (state.from !== undefined && state.to !== undefined && state.from > state.to) {
    delete state.from;
    delete state.to;
  }
  return state;
}

/** The data-selecting part of the state as the API's query string ("" or "?…"). */
export function viewStateToApiQuery(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.site !== undefined) params.set('site', state.site);
  if (state.from !== undefined) params.set('from', String(state.from));
  if (state.to !== undefined) params.set('to', String(state.to));
  const qs = params.toString();
  return qs === '' ? '' : `?${qs}`;
}
