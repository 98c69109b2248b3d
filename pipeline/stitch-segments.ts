import type { SegmentSet } from './marching-squares.ts';

export interface Polyline {
  /** x, y pairs in scene pixel-centre coordinates; a closed line repeats its first point at the end. */
  coords: Float64Array;
  closed: boolean;
}

/**
 * Joins oriented segments into polylines through their shared edge ids. Marching squares orients every
 * segment with water on the same side, so each vertex edge is the end of at most one segment and the start
 * of at most one other: a chain is followed without any geometric matching or tolerance.
 *
 * The result is canonical (open lines start where they start; loops start at their smallest edge id; lines
 * sorted by that id), so the same segments split differently over windows give the same polylines.
 */
export function stitchSegments(sets: readonly SegmentSet[]): Polyline[] {
  let total = 0;
  for (const s of sets) total += s.count;
  const coords = new Float64Array(4 * total);
  const starts = new Float64Array(total);
  const ends = new Float64Array(total);
  let at = 0;
  for (const s of sets) {
    coords.set(s.coords.subarray(0, 4 * s.count), 4 * at);
    for (let i = 0; i < s.count; i++) {
      starts[at + i] = s.edges[2 * i]!;
      ends[at + i] = s.edges[2 * i + 1]!;
    }
    at += s.count;
  }
  const byStart = new Map<number, number>();
  for (let i = 0; i < total; i++) {
    const e = starts[i]!;
    if (byStart.has(e)) throw new Error(`two segments start on edge ${e}: duplicated segment`);
    byStart.set(e, i);
  }
  const hasPredecessor = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    const next = byStart.get(ends[i]!);
    if (next !== undefined) hasPredecessor[next] = 1;
  }
  const visited = new Uint8Array(total);
  const lines: { key: number; line: Polyline }[] = [];
  const walk = (first: number, closed: boolean) => {
    const points: number[] = [coords[4 * first]!, coords[4 * first + 1]!];
    let i: number | undefined = first;
    while (i !== undefined && !visited[i]) {
      visited[i] = 1;
      pushPoint(points, coords[4 * i + 2]!, coords[4 * i + 3]!);
      i = byStart.get(ends[i]!);
    }
    if (closed) {
      // The loop returned to its first vertex; make the repeat exact.
      points[points.length - 2] = points[0]!;
      points[points.length - 1] = points[1]!;
    }
    if (points.length >= 4)
      lines.push({ key: starts[first]!, line: { coords: Float64Array.from(points), closed } });
  };
  for (let i = 0; i < total; i++) if (!hasPredecessor[i]) walk(i, false);
  // What is left are loops. Start each at its smallest edge id, so the result does not depend on order.
  const order = Array.from({ length: total }, (_, i) => i)
    .filter((i) => !visited[i])
    .sort((a, b) => starts[a]! - starts[b]!);
  for (const i of order) if (!visited[i]) walk(i, true);
  lines.sort((a, b) => a.key - b.key);
  return lines.map((l) => l.line);
}

/** Appends a point unless it repeats the last one (a vertex exactly on a pixel centre gives such repeats). */
function pushPoint(points: number[], x: number, y: number): void {
  const n = points.length;
  if (points[n - 2] === x && points[n - 1] === y) return;
  points.push(x, y);
}
