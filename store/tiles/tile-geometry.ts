import { featureCollection, intersect, multiPolygon, polygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';

/**
 * Geometry in tile units the way PostGIS 3.x's ST_AsMVTGeom makes it (postgis/mvt.c, mvt_geom): snap to
 * the integer grid (rint), drop repeated and exactly collinear points, clip lines to the buffered tile
 * with GEOS ClipByRect semantics (linework lying on the clip boundary is outside), snap again; polygons
 * are clipped as wagyu does, into valid polygons. The JS tile
 * encoder uses it so that both encoders produce the same features. Pure; inputs are not modified.
 */

export type TilePoint = [number, number];
export type TileLine = TilePoint[];

export interface ClipBox {
  min: number;
  max: number;
}

/** Round half to even, like C's rint() that PostGIS snaps with. */
export function rint(v: number): number {
  const floor = Math.floor(v);
  const frac = v - floor;
  if (frac !== 0.5) return frac < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Snapped points, without the duplicates (MultiPoint) and without points outside or on the box edge. */
export function tilePoints(points: readonly TilePoint[], box: ClipBox): TilePoint[] {
  const seen = new Set<string>();
  const out: TilePoint[] = [];
  for (const p of points) {
    const s: TilePoint = [rint(p[0]), rint(p[1])];
    const key = `${s[0]},${s[1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  if (contained(out, box)) return out;
  return out.filter((p) => p[0] > box.min && p[0] < box.max && p[1] > box.min && p[1] < box.max);
}

/** Snapped, simplified and clipped lines; lines that collapse to fewer than 2 points are dropped. */
export function tileLines(lines: readonly TileLine[], box: ClipBox): TileLine[] {
  const snapped = lines.map((line) => removeCollinear(snapLine(line))).filter((l) => l.length >= 2);
  if (contained(snapped.flat(), box)) return snapped;
  const out: TileLine[] = [];
  for (const line of snapped) {
    for (const part of clipLine(line, box)) {
      const resnapped = snapLine(part);
      if (resnapped.length >= 2) out.push(resnapped);
    }
  }
  return out;
}

/**
 * Polygons the way ST_AsMVTGeom makes them with wagyu (PostGIS ≥ 3.1): rings snapped to the grid, collinear
 * points removed, rings that collapse dropped (a polygon whose exterior collapses goes), then clipped to the
 * box as one valid multipolygon (a polygon clip, not ring by ring, so a shape that leaves the tile and comes
 * back becomes separate polygons rather than one ring with edges doubled back along the tile edge), snapped
 * again. The result is valid polygons, each [exterior, ...holes], closed, with ≥ 4 points and non-zero area;
 * ring orientation is left to the encoder. Self-intersecting input is made valid by the clip.
 */
export function tilePolygons(polygons: readonly TileLine[][], box: ClipBox): TileLine[][] {
  const snapped: TileLine[][] = [];
  for (const polygon of polygons) {
    const rings: TileLine[] = [];
    for (const [i, ring] of polygon.entries()) {
      // Only the point count decides here: a bow tie has zero signed area but two triangles of surface.
      const r = closeRing(removeCollinear(closeRing(snapLine(ring)) ?? []));
      if (!r) {
        if (i === 0) break;
        continue;
      }
      rings.push(r);
    }
    if (rings.length > 0) snapped.push(rings);
  }
  if (snapped.length === 0) return [];
  const { min, max } = box;
  const boxRing: TileLine = [
    [min, min],
    [max, min],
    [max, max],
    [min, max],
    [min, min],
  ];
  const clipped = intersect(
    featureCollection<Polygon | MultiPolygon>([multiPolygon(snapped), polygon([boxRing])]),
  );
  if (!clipped) return [];
  const geometry = clipped.geometry;
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const out: TileLine[][] = [];
  for (const part of parts) {
    const rings: TileLine[] = [];
    for (const [i, ring] of part.entries()) {
      const r = closeRing(removeSpikes(snapCuts(ring as TilePoint[], box)));
      // wagyu drops the smallest rings the grid allows (a half-unit triangle) and keeps anything larger.
      if (!r || Math.abs(signedArea(r)) < 1) {
        if (i === 0) break;
        continue;
      }
      rings.push(r);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

/**
 * Every input vertex is on the grid already, so a fractional coordinate is a new vertex: where the clip cut an
 * edge (on the box edge), which wagyu's quick_clip truncates towards zero (an integer cast), or where two edges
 * of a self-intersecting ring cross, which wagyu rounds to the nearest.
 */
function snapCuts(ring: readonly TilePoint[], box: ClipBox): TileLine {
  const out: TileLine = [];
  for (const p of ring) {
    const onEdge = p[0] === box.min || p[0] === box.max || p[1] === box.min || p[1] === box.max;
    const s: TilePoint = onEdge ? [Math.trunc(p[0]), Math.trunc(p[1])] : [Math.round(p[0]), Math.round(p[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== s[0] || last[1] !== s[1]) out.push(s);
  }
  return out;
}

/**
 * Snap rounding as wagyu does it, for the case that matters in practice: where an edge v→q passes through
 * the unit pixel around v's predecessor p (or p→v through q's), wagyu routes the edge through that vertex,
 * which turns p→v→q into a zero-width spike that it then removes. Here v is removed directly.
 */
function removeSpikes(ring: TileLine): TileLine {
  // Work on the open ring (no closing point) so every vertex has two neighbours.
  const open = ring.length > 1 && samePoint(ring[0]!, ring[ring.length - 1]!) ? ring.slice(0, -1) : [...ring];
  let changed = true;
  while (changed && open.length >= 3) {
    changed = false;
    for (let i = 0; i < open.length && open.length >= 3; i++) {
      const p = open[(i + open.length - 1) % open.length]!;
      const v = open[i]!;
      const q = open[(i + 1) % open.length]!;
      if (segmentHitsPixel(v, q, p) || segmentHitsPixel(p, v, q)) {
        open.splice(i, 1);
        changed = true;
        i--;
      }
    }
  }
  // A triangle that loses a vertex is gone (closeRing drops what is left).
  return open;
}

function samePoint(a: TilePoint, b: TilePoint): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Whether segment a→b crosses the closed unit square centred on c (c not an end of the segment). */
function segmentHitsPixel(a: TilePoint, b: TilePoint, c: TilePoint): boolean {
  if (samePoint(a, c) || samePoint(b, c)) return false;
  const box = { min: 0, max: 0 };
  const clipped = clipSegment([a[0] - c[0], a[1] - c[1]], [b[0] - c[0], b[1] - c[1]], {
    min: box.min - 0.5,
    max: box.max + 0.5,
  });
  return clipped !== null;
}

/** Shoelace area in tile coordinates (y down): MVT wants exterior rings positive, holes negative. */
export function signedArea(ring: readonly TilePoint[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

function snapLine(line: readonly TilePoint[]): TileLine {
  const out: TileLine = [];
  for (const p of line) {
    const s: TilePoint = [rint(p[0]), rint(p[1])];
    const last = out[out.length - 1];
    if (!last || last[0] !== s[0] || last[1] !== s[1]) out.push(s);
  }
  return out;
}

/** Douglas–Peucker with tolerance 0 (what PostGIS runs to "remove points on straight lines"). */
function removeCollinear(line: TileLine): TileLine {
  if (line.length < 3) return line;
  const keep = new Uint8Array(line.length);
  keep[0] = 1;
  keep[line.length - 1] = 1;
  const stack: [number, number][] = [[0, line.length - 1]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    let worst = 0;
    let at = -1;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance2(line[i]!, line[from]!, line[to]!);
      if (d > worst) {
        worst = d;
        at = i;
      }
    }
    if (at >= 0) {
      keep[at] = 1;
      stack.push([from, at], [at, to]);
    }
  }
  return line.filter((_, i) => keep[i] === 1);
}

function segmentDistance2(p: TilePoint, a: TilePoint, b: TilePoint): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  const ex = p[0] - (a[0] + t * dx);
  const ey = p[1] - (a[1] + t * dy);
  return ex * ex + ey * ey;
}

function contained(points: readonly TilePoint[], box: ClipBox): boolean {
  return points.every((p) => p[0] >= box.min && p[0] <= box.max && p[1] >= box.min && p[1] <= box.max);
}

/** Liang–Barsky on each segment; pieces running along the box edge count as outside (as in GEOS). */
function clipLine(line: TileLine, box: ClipBox): TileLine[] {
  const parts: TileLine[] = [];
  let current: TileLine = [];
  const flush = () => {
    if (current.length >= 2) parts.push(current);
    current = [];
  };
  for (let i = 0; i + 1 < line.length; i++) {
    const clipped = clipSegment(line[i]!, line[i + 1]!, box);
    if (!clipped || onEdge(clipped[0], clipped[1], box)) {
      flush();
      continue;
    }
    const [a, b, endClipped] = clipped;
    const last = current[current.length - 1];
    if (!last || last[0] !== a[0] || last[1] !== a[1]) {
      flush();
      current.push(a);
    }
    current.push(b);
    if (endClipped) flush();
  }
  flush();
  return parts;
}

function clipSegment(p: TilePoint, q: TilePoint, box: ClipBox): [TilePoint, TilePoint, boolean] | null {
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  let t0 = 0;
  let t1 = 1;
  const checks: [number, number][] = [
    [-dx, p[0] - box.min],
    [dx, box.max - p[0]],
    [-dy, p[1] - box.min],
    [dy, box.max - p[1]],
  ];
  for (const [pk, qk] of checks) {
    if (pk === 0) {
      if (qk < 0) return null;
    } else {
      const t = qk / pk;
      if (pk < 0) {
        if (t > t1) return null;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return null;
        if (t < t1) t1 = t;
      }
    }
  }
  const a: TilePoint = t0 === 0 ? p : [p[0] + t0 * dx, p[1] + t0 * dy];
  const b: TilePoint = t1 === 1 ? q : [p[0] + t1 * dx, p[1] + t1 * dy];
  if (a[0] === b[0] && a[1] === b[1]) return null;
  return [a, b, t1 < 1];
}

function onEdge(a: TilePoint, b: TilePoint, box: ClipBox): boolean {
  return (
    (a[0] === b[0] && (a[0] === box.min || a[0] === box.max)) ||
    (a[1] === b[1] && (a[1] === box.min || a[1] === box.max))
  );
}

function closeRing(ring: TileLine): TileLine | null {
  if (ring.length === 0) return null;
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  return closed.length >= 4 ? closed : null;
}
