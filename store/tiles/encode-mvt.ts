import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { type TileCoords, tileBounds3857 } from './tile-coords.ts';
import { TILE_BUFFER, TILE_EXTENT } from './vector-layers.ts';

type Position = number[];

/** GeoJSON geometry in EPSG:3857 metres (what the tile SQL returns on the JS path). */
export type Geometry3857 =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry3857[] };

export type TilePropertyValue = string | number | boolean | null;

export interface TileFeature3857 {
  id: number;
  properties: Readonly<Record<string, TilePropertyValue>>;
  geometry: Geometry3857 | null;
}

export interface TileLayer3857 {
  name: string;
  features: readonly TileFeature3857[];
}

export interface EncodeMvtOptions {
  extent?: number;
  buffer?: number;
}

type Ring = [number, number][];
type VtFeature = {
  id: number;
  type: 1 | 2 | 3;
  tags: Record<string, string | number | boolean>;
  geometry: Ring | Ring[];
};
type VtLayers = Parameters<typeof fromGeojsonVt>[0];

/**
 * The JS tile encoder, for databases without ST_AsMVT (embedded PGlite). It does what ST_AsMVTGeom does
 * after the SQL has clipped to the buffered tile: maps EPSG:3857 to tile units (y down), snaps to the
 * integer grid, drops repeated points and geometry that collapses, orients polygon rings as MVT 2.1
 * requires, then writes MVT 2 with @maplibre/vt-pbf. Returns null when no layer has a feature (empty tile).
 * Inputs are not modified.
 */
export function encodeMvt(
  layers: readonly TileLayer3857[],
  tile: TileCoords,
  opts: EncodeMvtOptions = {},
): Uint8Array | null {
  const extent = opts.extent ?? TILE_EXTENT;
  const buffer = opts.buffer ?? TILE_BUFFER;
  const [minX, , maxX, maxY] = tileBounds3857(tile);
  const scale = extent / (maxX - minX);
  const limit = extent + buffer;
  // Snap and clamp into the buffered tile: the SQL clipped in metres, so only rounding can step outside.
  const toTile = (p: Position): [number, number] => [
    clamp(Math.round(((p[0] ?? 0) - minX) * scale), -buffer, limit),
    clamp(Math.round((maxY - (p[1] ?? 0)) * scale), -buffer, limit),
  ];

  const out: Record<string, { features: VtFeature[] }> = {};
  let total = 0;
  for (const layer of layers) {
    const features: VtFeature[] = [];
    for (const f of layer.features) {
      if (!f.geometry) continue;
      const encoded = encodeGeometry(f.geometry, toTile);
      if (!encoded) continue;
      features.push({
        id: f.id,
        type: encoded.type,
        tags: dropNulls(f.properties),
        geometry: encoded.geometry,
      });
    }
    if (features.length > 0) {
      out[layer.name] = { features };
      total += features.length;
    }
  }
  if (total === 0) return null;
  return fromGeojsonVt(out as unknown as VtLayers, { version: 2, extent });
}

function encodeGeometry(
  geometry: Geometry3857,
  toTile: (p: Position) => [number, number],
): { type: 1 | 2 | 3; geometry: Ring | Ring[] } | null {
  const parts = flatten(geometry);
  const kind = parts[0]?.type;
  if (kind === undefined) return null;
  if (kind === 'Point' || kind === 'MultiPoint') {
    const points: Ring = [];
    for (const g of parts) {
      if (g.type === 'Point') points.push(toTile(g.coordinates));
      else if (g.type === 'MultiPoint') for (const p of g.coordinates) points.push(toTile(p));
    }
    const unique = dedupeAll(points);
    return unique.length > 0 ? { type: 1, geometry: unique } : null;
  }
  if (kind === 'LineString' || kind === 'MultiLineString') {
    const lines: Ring[] = [];
    for (const g of parts) {
      const source =
        g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
      for (const line of source) {
        const snapped = dedupeConsecutive(line.map(toTile));
        if (snapped.length >= 2) lines.push(snapped);
      }
    }
    return lines.length > 0 ? { type: 2, geometry: lines } : null;
  }
  const rings: Ring[] = [];
  for (const g of parts) {
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const polygon of polygons) {
      const [outer, ...holes] = polygon.map((ring) => closedRing(dedupeConsecutive(ring.map(toTile))));
      if (!outer || Math.abs(signedArea(outer)) === 0) continue;
      rings.push(oriented(outer, true));
      for (const hole of holes) if (hole && signedArea(hole) !== 0) rings.push(oriented(hole, false));
    }
  }
  return rings.length > 0 ? { type: 3, geometry: rings } : null;
}

/** Members of the same dimension as the first non-empty one (a clip can yield a collection). */
function flatten(geometry: Geometry3857): Exclude<Geometry3857, { type: 'GeometryCollection' }>[] {
  const all: Exclude<Geometry3857, { type: 'GeometryCollection' }>[] = [];
  const walk = (g: Geometry3857) => {
    if (g.type === 'GeometryCollection') g.geometries.forEach(walk);
    else if (g.coordinates.length > 0) all.push(g);
  };
  walk(geometry);
  const first = all[0];
  if (!first) return [];
  const dim = dimension(first.type);
  return all.filter((g) => dimension(g.type) === dim);
}

function dimension(type: string): number {
  if (type === 'Point' || type === 'MultiPoint') return 0;
  if (type === 'LineString' || type === 'MultiLineString') return 1;
  return 2;
}

function dedupeConsecutive(points: Ring): Ring {
  const out: Ring = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

function dedupeAll(points: Ring): Ring {
  const seen = new Set<string>();
  return points.filter((p) => {
    const key = `${p[0]},${p[1]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A ring with first = last and at least 4 positions, or null when it collapsed. */
function closedRing(ring: Ring): Ring | null {
  if (ring.length === 0) return null;
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  return closed.length >= 4 ? closed : null;
}

/** Shoelace area in tile coordinates (y down): MVT wants exterior rings positive, holes negative. */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

function oriented(ring: Ring, exterior: boolean): Ring {
  const positive = signedArea(ring) > 0;
  return positive === exterior ? ring : [...ring].reverse();
}

function dropNulls(
  properties: Readonly<Record<string, TilePropertyValue>>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(properties)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
