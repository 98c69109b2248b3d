import type { FeatureCollection, Geometry } from 'geojson';
import { asRecord, getJson } from './http-json.ts';

/** Pages followed at most: our collections are small, and a loop in `next` links must not hang the page. */
const MAX_PAGES = 50;

export interface OgcPage {
  features: FeatureCollection<Geometry | null>['features'];
  /** Path and query of the next page on our origin, or null. */
  next: string | null;
}

/**
 * One page of `/ogc/collections/{id}/items`. The `next` link is kept as a path on our own origin: behind a
 * proxy its absolute host can differ from the page's, and the page may talk to its own origin only.
 */
export function parseOgcPage(json: unknown): OgcPage {
  const body = asRecord(json, 'feature collection');
  if (body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
    throw new Error('not a GeoJSON FeatureCollection');
  }
  const features = body.features.map((f, i) => {
    const feature = asRecord(f, `feature ${i}`);
    if (feature.type !== 'Feature') throw new Error(`feature ${i} is not a Feature`);
    return feature as unknown as OgcPage['features'][number];
  });
  let next: string | null = null;
  if (Array.isArray(body.links)) {
    for (const link of body.links) {
      const l = asRecord(link, 'link');
      if (l.rel === 'next' && typeof l.href === 'string') {
        const url = new URL(l.href, 'http://relative.invalid');
        next = `${url.pathname}${url.search}`.replace(/^\//, '');
      }
    }
  }
  return { features, next };
}

/** Every feature of a collection matching `params` (its property filters), following `next` pages. */
export async function fetchAllItems(
  collection: string,
  params: Record<string, string> = {},
): Promise<FeatureCollection> {
  const query = new URLSearchParams({ ...params, limit: '1000' });
  let path: string | null = `ogc/collections/${encodeURIComponent(collection)}/items?${query}`;
  const features: OgcPage['features'] = [];
  for (let page = 0; path !== null; page++) {
    if (page === MAX_PAGES) throw new Error(`${collection}: more than ${MAX_PAGES} pages of features`);
    const parsed = parseOgcPage(await getJson(path));
    features.push(...parsed.features);
    path = parsed.next;
  }
  // Features without a geometry have nothing to draw (and GeoJSON sources want geometries).
  return {
    type: 'FeatureCollection',
    features: features.filter((f): f is FeatureCollection['features'][number] => f.geometry !== null),
  };
}

/**
 * Hectares of land lost over the whole record: the site's erosion polygons of the total period (first to
 * last shoreline), from the public `change` collection.
 */
export async function fetchRecordErosionAreaM2(site: string): Promise<number> {
  const change = await fetchAllItems('change', { site, kind: 'erosion', period_kind: 'total' });
  let areaM2 = 0;
  for (const feature of change.features) {
    const area = (feature.properties as Record<string, unknown> | null)?.area_m2;
    if (typeof area === 'number' && Number.isFinite(area)) areaM2 += area;
  }
  return areaM2;
}
