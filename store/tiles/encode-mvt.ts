import { fromGeojsonVt } from '@maplibre/vt-pbf';
import { type TileCoords, tileBounds3857 } from './tile-coords.ts';
import {
  type ClipBox,
  signedArea,
  type TileLine,
  type TilePoint,
  tileLines,
  tilePoints,
  tilePolygons,
} from './tile-geometry.ts';
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
 * The JS tile encoder, for databases without ST_AsMVT (embedded PGlite). It maps EPSG:3857 to tile units
 * (y down), then does what ST_AsMVTGeom does there (tile-geometry.ts: snap, simplify, clip to the buffered
 * tile), orients polygon rings as MVT 2.1 requires, and writes MVT 2 with @maplibre/vt-pbf. Returns null when no layer has a feature (empty tile).
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
  const box: ClipBox = { min: -buffer, max: extent + buffer };
  const toTile = (p: Position): TilePoint => [((p[0] ?? 0) - minX) * scale, (maxY - (p[1] ?? 0)) * scale];

  const out: Record<string, { features: VtFeature[] }> = {};
  let total = 0;
  for (const layer of layers) {
    const features: VtFeature[] = [];
    for (const f of layer.features) {
      if (!f.geometry) continue;
      const encoded = encodeGeometry(f.geometry, toTile, box);
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
  toTile: (p: Position) => TilePoint,
  box: ClipBox,
): { type: 1 | 2 | 3; geometry: TileLine | TileLine[] } | null {
  const parts = flatten(geometry);
  const kind = parts[0]?.type;
  if (kind === undefined) return null;
  if (kind === 'Point' || kind === 'MultiPoint') {
    const points: TilePoint[] = [];
    for (const g of parts) {
      if (g.type === 'Point') points.push(toTile(g.coordinates));
      else if (g.type === 'MultiPoint') for (const p of g.coordinates) points.push(toTile(p));
    }
    const kept = tilePoints(points, box);
    return kept.length > 0 ? { type: 1, geometry: kept } : null;
  }
  if (kind === 'LineString' || kind === 'MultiLineString') {
    const lines: TileLine[] = [];
    for (const g of parts) {
      if (g.type === 'LineString') lines.push(g.coordinates.map(toTile));
      else if (g.type === 'MultiLineString') for (const l of g.coordinates) lines.push(l.map(toTile));
    }
    const kept = tileLines(lines, box);
    return kept.length > 0 ? { type: 2, geometry: kept } : null;
  }
  const polygons: TileLine[][] = [];
  for (const g of parts) {
    if (g.type === 'Polygon') polygons.push(g.coordinates.map((r) => r.map(toTile)));
    else if (g.type === 'MultiPolygon')
      for (const poly of g.coordinates) polygons.push(poly.map((r) => r.map(toTile)));
  }
  const rings: TileLine[] = [];
  for (const [outer, ...holes] of tilePolygons(polygons, box)) {
    rings.push(oriented(outer!, true));
    for (const hole of holes) rings.push(oriented(hole, false));
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

/** MVT 2.1: exterior rings have positive area in tile coordinates, holes negative. */
function oriented(ring: TileLine, exterior: boolean): TileLine {
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
