import type { SegmentSet } from './marching-squares.ts';
import { type Line, SegmentIndex } from './segment-index.ts';

/**
 * Keeps only the segments whose two ends lie within `bufferPx` of a reference shoreline (pixel-centre
 * coordinates, like the segments): the known coast of a site restricts the search to a band around it, so
 * a lake or river bank far from it never shows up as shoreline.
 */
export function keepNearReference(set: SegmentSet, reference: readonly Line[], bufferPx: number): SegmentSet {
  if (!(bufferPx > 0)) throw new RangeError(`buffer must be > 0 pixels, got ${bufferPx}`);
  const index = new SegmentIndex(reference, Math.max(bufferPx, 1));
  const keep: number[] = [];
  for (let i = 0; i < set.count; i++) {
    const c = set.coords;
    if (
      index.distance(c[4 * i]!, c[4 * i + 1]!, bufferPx) <= bufferPx &&
      index.distance(c[4 * i + 2]!, c[4 * i + 3]!, bufferPx) <= bufferPx
    ) {
      keep.push(i);
    }
  }
  const coords = new Float64Array(4 * keep.length);
  const edges = new Float64Array(2 * keep.length);
  const tags = new Int32Array(keep.length);
  keep.forEach((s, k) => {
    coords.set(set.coords.subarray(4 * s, 4 * s + 4), 4 * k);
    edges.set(set.edges.subarray(2 * s, 2 * s + 2), 2 * k);
    tags[k] = set.tags[s]!;
  });
  return { count: keep.length, coords, edges, tags };
}
