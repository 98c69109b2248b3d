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

export async function fetchTileJson(url: string): Promise<ViewerTileJson> {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = (await response.json()) as { detail?: string };
      if (problem.detail) detail = problem.detail;
    } catch {
      // Not problem+json: the status text is all we have.
    }
    throw new Error(`Could not load ${url}: ${response.status} ${detail}`);
  }
  return parseTileJson(await response.json());
}
