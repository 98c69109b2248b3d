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
  const byStart = new Map<number, number>();
  let at = 0;
  for (const s of sets) {
    coords.set(s.coords.subarray(0, 4 * s.count), 4 * at);
    for (let i = 0; i < s.count; i++, at++) {
      const start = s.edges[2 * i]!;
      if (byStart.has(start)) throw new Error(`two segments start on edge ${start}: duplicated segment`);
      byStart.set(start, at);
      starts[at] = start;
      ends[at] = s.edges[2 * i + 1]!;
    }
  }
  // next[i]: the segment that starts on the edge where segment i ends, or −1.
  const next = new Int32Array(total);
  const hasPredecessor = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    const j = byStart.get(ends[i]!) ?? -1;
    next[i] = j;
    if (j >= 0) hasPredecessor[j] = 1;
  }
  const visited = new Uint8Array(total);
  // Room for the longest possible line: every segment in one chain.
  const points = new Float64Array(2 * total + 2);
  const lines: { key: number; line: Polyline }[] = [];
  const walk = (first: number, closed: boolean) => {
    points[0] = coords[4 * first]!;
    points[1] = coords[4 * first + 1]!;
    let n = 2;
    for (let i = first; i >= 0 && !visited[i]; i = next[i]!) {
      visited[i] = 1;
      const x = coords[4 * i + 2]!;
      const y = coords[4 * i + 3]!;
      // A vertex exactly on a pixel centre repeats the last point: keep it once.
      if (points[n - 2] === x && points[n - 1] === y) continue;
      points[n++] = x;
      points[n++] = y;
    }
    if (closed) {
      // The loop returned to its first vertex; make the repeat exact.
      points[n - 2] = points[0]!;
      points[n - 1] = points[1]!;
    }
    if (n >= 4) lines.push({ key: starts[first]!, line: { coords: points.slice(0, n), closed } });
  };
  for (let i = 0; i < total; i++) if (!hasPredecessor[i]) walk(i, false);
  // What is left are loops. Start each at its smallest edge id, so the result does not depend on order.
  const loops: number[] = [];
  for (let i = 0; i < total; i++) if (!visited[i]) loops.push(i);
  loops.sort((a, b) => starts[a]! - starts[b]!);
  for (const i of loops) if (!visited[i]) walk(i, true);
  lines.sort((a, b) => a.key - b.key);
  return lines.map((l) => l.line);
}
