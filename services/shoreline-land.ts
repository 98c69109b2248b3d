import { TidemarkError } from '../common/errors.ts';
import {
  cleanPolygons,
  differencePolygons,
  type MultiPolygonXY,
  type PolygonXY,
  signedRingAreaM2,
} from '../pipeline/dsas/polygon-ops.ts';
import { lineLengthM } from '../pipeline/dsas/polyline-geometry.ts';
import type { DatedShoreline, LineXY, XY } from '../pipeline/dsas/types.ts';

/**
 * Land polygons from shorelines, closed against the data's bounding box (the site's area of interest when
 * nothing better is stored: scenes keep no footprint yet, and water masks are not kept after extraction).
 *
 * A shoreline piece that ends on the edge of the data runs out of the scene there: it is snapped onto that
 * side of the box and becomes a chord; the land is then the part of the box on the chords' left (the sea is
 * on their right, as the extractor writes them), found by walking the box boundary counter-clockwise from
 * each chord's exit to the next chord's entry (the way OSM coastline processing closes land in a tile).
 * Closed pieces are islands (counter-clockwise) or enclosed water (clockwise).
 *
 * The box is the same for every date of a site: sides where shorelines leave the data are kept exactly at
 * the data's edge (so two dates' ends at different places on that side add no sliver beyond the data), and
 * the other sides are pushed out by a margin, so no shoreline touches them.
 */

export type BoxSide = 'south' | 'east' | 'north' | 'west';

export interface LandFrame {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Sides at the data's edge, where shoreline ends are snapped. */
  readonly snapSides: readonly BoxSide[];
  /** An open end within this distance of a snap side lies on it, metres. */
  readonly snapToleranceM: number;
}

export interface LandFrameOptions {
  /** Default: 0.5 % of the box's shorter side, at least 1 m. */
  readonly snapToleranceM?: number;
  /** How far sides without shoreline ends are pushed out. Default: 1 % of the longer side, at least 10 m. */
  readonly marginM?: number;
}

const SIDES: readonly BoxSide[] = ['south', 'east', 'north', 'west'];

/**
 * The common frame for the land polygons of every date: the bounding box of all the shorelines' pieces,
 * with the sides no shoreline runs out of pushed out by a margin.
 */
export function landFrame(
  shorelines: readonly (readonly LineXY[])[],
  options: LandFrameOptions = {},
): LandFrame {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const pieces of shorelines) {
    for (const piece of pieces) {
      for (const p of piece) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
    }
  }
  if (!(maxX > minX && maxY > minY)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      'the shorelines span no area: cannot close them into land polygons',
    );
  }
  const snapToleranceM = options.snapToleranceM ?? Math.max(1, 0.005 * Math.min(maxX - minX, maxY - minY));
  const marginM = options.marginM ?? Math.max(10, 0.01 * Math.max(maxX - minX, maxY - minY));
  if (!(snapToleranceM > 0) || !(marginM > 0)) {
    throw new TidemarkError('INVALID_INPUT', 'the land frame needs a positive snap tolerance and margin');
  }
  const data = { minX, minY, maxX, maxY };
  const snap = new Set<BoxSide>();
  for (const pieces of shorelines) {
    for (const piece of pieces) {
      if (isClosed(piece)) continue;
      for (const end of [piece[0], piece[piece.length - 1]]) {
        const side = end && nearestSide(data, end, SIDES);
        if (side && side.distanceM <= snapToleranceM) snap.add(side.side);
      }
    }
  }
  const out = (side: BoxSide) => (snap.has(side) ? 0 : marginM);
  return {
    minX: minX - out('west'),
    minY: minY - out('south'),
    maxX: maxX + out('east'),
    maxY: maxY + out('north'),
    snapSides: SIDES.filter((s) => snap.has(s)),
    snapToleranceM,
  };
}

/**
 * The land of one date inside the frame: valid polygons, on the left of the pieces (sea on their right).
 * Throws INVALID_INPUT when a piece ends inside the data (a gap in the shoreline) or when the pieces
 * disagree about which side is the sea, since either leaves the land undefined. Inputs are not changed.
 */
export function closeLand(
  pieces: readonly LineXY[],
  frame: LandFrame,
  what = 'the shoreline',
): MultiPolygonXY {
  const chords: Chord[] = [];
  const islands: PolygonXY[] = [];
  const lakes: PolygonXY[] = [];
  for (const raw of pieces) {
    const piece = withoutRepeats(raw);
    if (piece.length < 2) continue;
    if (isClosed(piece)) {
      if (piece.length < 4) continue;
      const area = signedRingAreaM2(piece);
      if (area > 0) islands.push([piece]);
      else if (area < 0) lakes.push([[...piece].reverse()]);
      continue;
    }
    const start = snapEnd(frame, piece[0]!, what);
    const end = snapEnd(frame, piece[piece.length - 1]!, what);
    const line = [start.point, ...piece.slice(1, -1), end.point];
    chords.push({ line, entry: perimeterAt(frame, start), exit: perimeterAt(frame, end) });
  }
  const rings = walkChords(frame, chords, what);
  let base: PolygonXY[] = rings.map((ring) => [ring]);
  // Chords that neither cross nor touch make disjoint simple rings: already valid, and cleaning them
  // (polygon clipping) would be the slowest step by far. Islands and enclosed water need the overlay.
  if (islands.length === 0 && lakes.length === 0) return base;
  // No chord: the land is either all of the frame (enclosed water inside it) or only the islands.
  if (chords.length === 0 && lakes.length > 0) base = [[frameRing(frame)]];
  let land = cleanPolygons([...base, ...islands]);
  if (lakes.length > 0) land = differencePolygons(land, lakes);
  return land;
}

interface Chord {
  readonly line: XY[];
  /** Perimeter parameters of the first and last points (counter-clockwise from the south-west corner). */
  readonly entry: number;
  readonly exit: number;
}

interface SnappedEnd {
  readonly point: XY;
  readonly side: BoxSide;
}

function walkChords(frame: LandFrame, chords: readonly Chord[], what: string): XY[][] {
  const perimeter = 2 * (frame.maxX - frame.minX) + 2 * (frame.maxY - frame.minY);
  const ahead = (from: number, to: number) => (((to - from) % perimeter) + perimeter) % perimeter;
  const used = new Array<boolean>(chords.length).fill(false);
  const rings: XY[][] = [];
  for (let first = 0; first < chords.length; first++) {
    if (used[first]) continue;
    const ring: XY[] = [];
    let current = first;
    for (let guard = 0; guard <= chords.length; guard++) {
      used[current] = true;
      const chord = chords[current]!;
      ring.push(...chord.line);
      // The next chord endpoint counter-clockwise from this exit must be an entry (land lies between).
      let next = -1;
      let nextGap = Number.POSITIVE_INFINITY;
      let exitGap = Number.POSITIVE_INFINITY;
      chords.forEach((c, i) => {
        const gap = ahead(chord.exit, c.entry);
        if (gap < nextGap) {
          nextGap = gap;
          next = i;
        }
        if (i !== current) exitGap = Math.min(exitGap, ahead(chord.exit, c.exit));
      });
      if (exitGap < nextGap) {
        throw new TidemarkError(
          'INVALID_INPUT',
          `${what}: its pieces disagree about which side is the sea, so its land cannot be closed`,
        );
      }
      ring.push(...cornersBetween(frame, chord.exit, chords[next]!.entry, perimeter));
      if (next === first) break;
      if (used[next]) {
        throw new TidemarkError('INVALID_INPUT', `${what}: its pieces cross, so its land cannot be closed`);
      }
      current = next;
    }
    ring.push(ring[0]!);
    rings.push(ring);
  }
  return rings;
}

/** The frame's corners met walking counter-clockwise from perimeter parameter `from` to `to`. */
function cornersBetween(frame: LandFrame, from: number, to: number, perimeter: number): XY[] {
  const w = frame.maxX - frame.minX;
  const h = frame.maxY - frame.minY;
  const corners: [number, XY][] = [
    [0, [frame.minX, frame.minY]],
    [w, [frame.maxX, frame.minY]],
    [w + h, [frame.maxX, frame.maxY]],
    [2 * w + h, [frame.minX, frame.maxY]],
  ];
  const span = (((to - from) % perimeter) + perimeter) % perimeter;
  return corners
    .map(([p, xy]) => [(((p - from) % perimeter) + perimeter) % perimeter, xy] as [number, XY])
    .filter(([d]) => d > 0 && d < span)
    .sort((a, b) => a[0] - b[0])
    .map(([, xy]) => xy);
}

function perimeterAt(frame: LandFrame, end: SnappedEnd): number {
  const w = frame.maxX - frame.minX;
  const h = frame.maxY - frame.minY;
  const [x, y] = end.point;
  switch (end.side) {
    case 'south':
      return x - frame.minX;
    case 'east':
      return w + (y - frame.minY);
    case 'north':
      return w + h + (frame.maxX - x);
    case 'west':
      return 2 * w + h + (frame.maxY - y);
  }
}

function snapEnd(frame: LandFrame, p: XY, what: string): SnappedEnd {
  const near = nearestSide(frame, p, frame.snapSides);
  if (!near || near.distanceM > frame.snapToleranceM) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${what} has an open end at (${p[0].toFixed(1)}, ${p[1].toFixed(1)}) inside the data's extent ` +
        '(a gap in the line), so its land cannot be closed',
    );
  }
  const x = Math.min(frame.maxX, Math.max(frame.minX, p[0]));
  const y = Math.min(frame.maxY, Math.max(frame.minY, p[1]));
  const point: XY =
    near.side === 'south'
      ? [x, frame.minY]
      : near.side === 'north'
        ? [x, frame.maxY]
        : near.side === 'west'
          ? [frame.minX, y]
          : [frame.maxX, y];
  return { point, side: near.side };
}

function nearestSide(
  box: { minX: number; minY: number; maxX: number; maxY: number },
  p: XY,
  sides: readonly BoxSide[],
): { side: BoxSide; distanceM: number } | null {
  let best: { side: BoxSide; distanceM: number } | null = null;
  for (const side of sides) {
    const d =
      side === 'south'
        ? p[1] - box.minY
        : side === 'north'
          ? box.maxY - p[1]
          : side === 'west'
            ? p[0] - box.minX
            : box.maxX - p[0];
    const distanceM = Math.abs(d);
    if (!best || distanceM < best.distanceM) best = { side, distanceM };
  }
  return best;
}

function frameRing(frame: LandFrame): XY[] {
  return [
    [frame.minX, frame.minY],
    [frame.maxX, frame.minY],
    [frame.maxX, frame.maxY],
    [frame.minX, frame.maxY],
    [frame.minX, frame.minY],
  ];
}

function isClosed(line: LineXY): boolean {
  const a = line[0];
  const b = line[line.length - 1];
  return line.length > 2 && a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1];
}

function withoutRepeats(line: LineXY): XY[] {
  const out: XY[] = [];
  for (const p of line) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push([p[0], p[1]]);
  }
  return out;
}

/**
 * The pieces turned so the sea is on their right, judged against a baseline whose sea side is known: at
 * sample points, a piece running with the sea on its left is reversed (imported shorelines may come either
 * way; extracted ones already have the sea on the right). Closed pieces keep their turn (it tells islands
 * from enclosed water). Returns new arrays; the input is not changed.
 */
export function orientSeaRight(
  pieces: readonly LineXY[],
  baseline: readonly LineXY[],
  seaSide: 'left' | 'right',
): LineXY[] {
  const votes = seaLeftVotes(pieces, baseline, seaSide);
  return pieces.map((piece, i) => {
    const copy = piece.map((p): XY => [p[0], p[1]]);
    return votes[i]! > 0 ? copy.reverse() : copy;
  });
}

/**
 * For each piece, how its sample points vote on its running with the sea on its LEFT, judged against a
 * baseline whose sea side is known: positive means reversed against the baseline, negative along it, 0 for
 * a closed piece (or no baseline). Extracted shorelines run with the sea on their right, so when most of
 * them vote positive, it is the baseline's sea side that is wrong.
 */
/**
 * The share of the shorelines' length (over pieces that can be judged) that runs with the sea on its left
 * against a baseline whose sea side is `seaSide`; null when no piece can be judged. Extracted shorelines
 * run with the sea on their right, so for them a share above one half means the baseline's sea side is
 * wrong: an onshore baseline drawn in the sea, say.
 */
export function shareFacingSeaLeft(
  shorelines: readonly DatedShoreline[],
  baseline: readonly LineXY[],
  seaSide: 'left' | 'right',
): number | null {
  let against = 0;
  let judged = 0;
  for (const shoreline of shorelines) {
    const pieces = shoreline.pieces.map((p) => p.coordinates);
    seaLeftVotes(pieces, baseline, seaSide).forEach((vote, i) => {
      if (vote === 0) return;
      const length = lineLengthM(pieces[i]!);
      judged += length;
      if (vote > 0) against += length;
    });
  }
  return judged > 0 ? against / judged : null;
}

export function seaLeftVotes(
  pieces: readonly LineXY[],
  baseline: readonly LineXY[],
  seaSide: 'left' | 'right',
): number[] {
  const segments: [XY, XY][] = [];
  for (const part of baseline) {
    for (let i = 1; i < part.length; i++) {
      const a = part[i - 1]!;
      const b = part[i]!;
      if (a[0] !== b[0] || a[1] !== b[1]) segments.push([a, b]);
    }
  }
  return pieces.map((piece) => {
    if (segments.length === 0 || piece.length < 2 || isClosed(piece)) return 0;
    let vote = 0;
    const samples = Math.min(25, piece.length - 1);
    for (let k = 0; k < samples; k++) {
      const i = Math.floor(((k + 0.5) * (piece.length - 1)) / samples);
      const a = piece[i]!;
      const b = piece[i + 1]!;
      const seg = nearestSegment(segments, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      const tx = seg[1][0] - seg[0][0];
      const ty = seg[1][1] - seg[0][1];
      // The baseline's seaward normal, then which side of the piece it points to.
      const nx = seaSide === 'left' ? -ty : ty;
      const ny = seaSide === 'left' ? tx : -tx;
      const cross = (b[0] - a[0]) * ny - (b[1] - a[1]) * nx;
      vote += Math.sign(cross);
    }
    return vote;
  });
}

function nearestSegment(segments: readonly [XY, XY][], p: XY): [XY, XY] {
  let best = segments[0]!;
  let bestD = Number.POSITIVE_INFINITY;
  for (const s of segments) {
    const [a, b] = s;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const f = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
    const d = (a[0] + f * dx - p[0]) ** 2 + (a[1] + f * dy - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = s;
    }
  }
  return best;
}
