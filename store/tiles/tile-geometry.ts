/**
 * Geometry in tile units the way PostGIS 3.x's ST_AsMVTGeom makes it (postgis/mvt.c, mvt_geom): snap to
 * the integer grid (rint), drop repeated and exactly collinear points, clip lines to the buffered tile
 * with GEOS ClipByRect semantics (linework lying on the clip boundary is outside), snap again. The JS tile
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
 * Snapped polygon rings clipped to the box (Sutherland–Hodgman), closed, each with ≥ 4 points and a
 * non-zero area. The first ring of each polygon is its exterior. PostGIS also repairs validity (wagyu or
 * GEOS MakeValid); this does not, so self-intersecting input may differ.
 */
export function tilePolygons(polygons: readonly TileLine[][], box: ClipBox): TileLine[][] {
  const out: TileLine[][] = [];
  for (const polygon of polygons) {
    const rings: TileLine[] = [];
    for (const [i, ring] of polygon.entries()) {
      let r = snapLine(ring);
      if (!contained(r, box)) r = snapLine(clipRing(r, box));
      const closed = closeRing(r);
      if (!closed || signedArea(closed) === 0) {
        if (i === 0) break;
        continue;
      }
      rings.push(closed);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
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

function clipRing(ring: TileLine, box: ClipBox): TileLine {
  let pts = ring;
  const edges: ((p: TilePoint) => number)[] = [
    (p) => p[0] - box.min,
    (p) => box.max - p[0],
    (p) => p[1] - box.min,
    (p) => box.max - p[1],
  ];
  for (const inside of edges) {
    if (pts.length === 0) break;
    const out: TileLine = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i]!;
      const prev = pts[(i + pts.length - 1) % pts.length]!;
      const dc = inside(cur);
      const dp = inside(prev);
      if (dc >= 0) {
        if (dp < 0) out.push(lerp(prev, cur, dp / (dp - dc)));
        out.push(cur);
      } else if (dp >= 0) {
        out.push(lerp(prev, cur, dp / (dp - dc)));
      }
    }
    pts = out;
  }
  return pts;
}

function lerp(a: TilePoint, b: TilePoint, t: number): TilePoint {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

function closeRing(ring: TileLine): TileLine | null {
  if (ring.length === 0) return null;
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  return closed.length >= 4 ? closed : null;
}
