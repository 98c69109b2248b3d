import { OVERLAYS, type OverlayId } from './layer-catalog.ts';
import { fetchTileJson, tileJsonUrl, type ViewerTileJson } from './tilejson-client.ts';

/** What the map draws from the tile layers: one site's data, or every site's (`site` null). */
export interface TileScope {
  site: string | null;
  /** The TileJSON of each tile overlay that can be drawn; its tile URLs carry the site filter. */
  tileJsons: Partial<Record<OverlayId, ViewerTileJson>>;
  /** Why each of the other tile overlays cannot be drawn. */
  failures: ReadonlyMap<OverlayId, string>;
  /** A TileJSON request got no answer: loading the scope again once the server is back may succeed. */
  unreachable: boolean;
}

/** The TileJSON of every tile overlay for one site (or all sites), fetched in parallel; never rejects. */
export async function loadTileScope(site: string | null, baseUrl: string): Promise<TileScope> {
  const tileJsons: Partial<Record<OverlayId, ViewerTileJson>> = {};
  const failures = new Map<OverlayId, string>();
  let unreachable = false;
  await Promise.all(
    OVERLAYS.map(async ({ id, tileLayer }) => {
      if (tileLayer === null) return;
      const outcome = await fetchTileJson(tileJsonUrl(tileLayer, site, baseUrl));
      if (outcome.ok) tileJsons[id] = outcome.tileJson;
      else {
        failures.set(id, outcome.reason);
        unreachable ||= outcome.unreachable;
      }
    }),
  );
  return { site, tileJsons, failures, unreachable };
}

/**
 * For each tile overlay, why its toggle is disabled in this scope, or null when it can be drawn: its TileJSON
 * failed, or (shorelines only) the scope holds no shoreline yet.
 */
export function overlayAvailability(
  scope: Pick<TileScope, 'tileJsons' | 'failures'>,
): Map<OverlayId, string | null> {
  const availability = new Map<OverlayId, string | null>();
  for (const { id, tileLayer } of OVERLAYS) {
    if (tileLayer === null) continue;
    const failure = scope.failures.get(id);
    const tileJson = scope.tileJsons[id];
    if (failure !== undefined) availability.set(id, failure);
    else if (tileJson === undefined) availability.set(id, 'not loaded');
    else if (id === 'shorelines' && tileJson.years === null) availability.set(id, 'no shorelines stored yet');
    else availability.set(id, null);
  }
  return availability;
}
