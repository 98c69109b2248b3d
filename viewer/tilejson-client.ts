/** The parts of our TileJSON the viewer uses (see api/tilejson.ts). */
export interface ViewerTileJson {
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  years: { min: number; max: number } | null;
}

function isNumberArray(value: unknown, length: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === length &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
  );
}

/** Checks a TileJSON document's shape so a broken response fails here, with a message, not deep in MapLibre. */
export function parseTileJson(json: unknown): ViewerTileJson {
  if (typeof json !== 'object' || json === null) throw new Error('TileJSON is not an object');
  const doc = json as Record<string, unknown>;
  const tiles = doc.tiles;
  if (!Array.isArray(tiles) || tiles.length === 0 || !tiles.every((t) => typeof t === 'string')) {
    throw new Error('TileJSON has no tile URLs');
  }
  if (typeof doc.minzoom !== 'number' || typeof doc.maxzoom !== 'number')
    throw new Error('TileJSON lacks zooms');
  if (!isNumberArray(doc.bounds, 4)) throw new Error('TileJSON lacks bounds');
  const rawYears = doc['tidemark:years'] as { min?: unknown; max?: unknown } | undefined;
  const years =
    rawYears && typeof rawYears.min === 'number' && typeof rawYears.max === 'number'
      ? { min: rawYears.min, max: rawYears.max }
      : null;
  return {
    tiles: tiles as string[],
    minzoom: doc.minzoom,
    maxzoom: doc.maxzoom,
    bounds: doc.bounds as [number, number, number, number],
    years,
  };
}

/**
 * A layer's TileJSON, or why the layer cannot be drawn (the viewer then shows it disabled, with the reason).
 * `unreachable`: the request got no answer at all (the server or the network is gone).
 */
export type TileJsonOutcome =
  | { ok: true; tileJson: ViewerTileJson }
  | { ok: false; reason: string; unreachable: boolean };

/**
 * The TileJSON URL of a tile layer, scoped to one site when `site` is given: the server then puts the same
 * filter into the tile URLs it returns (api/tilejson.ts), so every tile the map fetches holds that site only.
 */
export function tileJsonUrl(layer: string, site: string | null, baseUrl: string): string {
  const url = new URL(`tiles/${encodeURIComponent(layer)}.json`, baseUrl);
  if (site !== null) url.searchParams.set('site', site);
  return url.href;
}

/** GETs a layer's TileJSON (`/tiles/{layer}.json`, see tileJsonUrl); a failure is an outcome, not an exception, so one missing layer spoils nothing. */
export async function fetchTileJson(url: string): Promise<TileJsonOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch (err) {
    return {
      ok: false,
      reason: `cannot reach the server (${err instanceof Error ? err.message : String(err)})`,
      unreachable: true,
    };
  }
  if (response.status === 404) return { ok: false, reason: 'not served by this server', unreachable: false };
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = (await response.json()) as { detail?: string };
      if (problem.detail) detail = problem.detail;
    } catch {
      // Not problem+json: the status text is all we have.
    }
    return { ok: false, reason: `${response.status} ${detail}`.trim(), unreachable: false };
  }
  try {
    return { ok: true, tileJson: parseTileJson(await response.json()) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err), unreachable: false };
  }
}
