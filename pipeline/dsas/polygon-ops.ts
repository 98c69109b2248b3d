import { difference, featureCollection, multiPolygon, union } from '@turf/turf';
import type { XY } from './types.ts';

/** A polygon as rings of metric points (first ring outer, then holes), each ring closed. */
export type PolygonXY = XY[][];
/** A multipolygon of metric polygons. */
export type MultiPolygonXY = PolygonXY[];

// polyclip-ts (behind turf's union/difference) works on plain coordinates, so metric input stays metric:
// turf's geodesic helpers (area, length) are never used on these.

type Ring = number[][];
type GeometryOut = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

function toFeature(polygons: readonly PolygonXY[]) {
  return multiPolygon(polygons.map((p) => p.map((ring) => ring.map((q) => [q[0], q[1]]))));
}

function fromGeometry(geometry: GeometryOut | undefined | null): MultiPolygonXY {
  if (!geometry) return [];
  const polys: Ring[][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polys.map((p) => p.map((ring) => ring.map((q) => [q[0]!, q[1]!] as XY)));
}

/**
 * Resolves self-intersections and overlaps into a valid multipolygon (OGC rules: no self-crossing rings,
 * holes inside shells). A bow-tie ring becomes two triangles; empty input gives [].
 */
export function cleanPolygons(polygons: readonly PolygonXY[]): MultiPolygonXY {
  const usable = polygons.filter((p) => p[0] && p[0].length >= 4);
  if (usable.length === 0) return [];
  const f = toFeature(usable);
  // union needs two inputs; the union of a shape with itself is the shape, made valid.
  return fromGeometry(union(featureCollection([f, f]))?.geometry);
}

/** a \ b, valid. */
export function differencePolygons(a: readonly PolygonXY[], b: readonly PolygonXY[]): MultiPolygonXY {
  if (a.length === 0) return [];
  if (b.length === 0) return cleanPolygons(a);
  return fromGeometry(difference(featureCollection([toFeature(a), toFeature(b)]))?.geometry);
}

/** Shoelace area of a ring, m² (positive when counter-clockwise). */
export function signedRingAreaM2(ring: readonly XY[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return sum / 2;
}

/** Planar area in the metric CRS: shells minus holes, m² (what PostGIS ST_Area gives in that CRS). */
export function planarAreaM2(polygons: readonly PolygonXY[]): number {
  let area = 0;
  for (const p of polygons) {
    p.forEach((ring, i) => {
      const a = Math.abs(signedRingAreaM2(ring));
      area += i === 0 ? a : -a;
    });
  }
  return area;
}
