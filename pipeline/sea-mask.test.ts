import { describe, expect, it } from 'vitest';
import { type ContourWindowOutput, contourWindow } from './contour-window.ts';
import type { SegmentSet } from './marching-squares.ts';
import {
  describeNoSea,
  SEA_MIN_AREA_M2,
  type SeaSelection,
  selectSea,
  type WindowComponentInfo,
} from './sea-mask.ts';
import { stitchSegments } from './stitch-segments.ts';
import {
  frameOf,
  frameValueAt,
  gatherRing,
  windowAt,
  windowCount,
  windowGrid,
  windowIndexOf,
} from './window-grid.ts';

const WIDTH = 64;
const HEIGHT = 48;
const split = { threshold: 0, waterMean: 0.45, landMean: -0.45 };

/** Square metres per pixel: 10 m pixels, like Sentinel-2's. */
const PIXEL_M2 = 100;

/** The wavy coast of most scenes here: sea west of it. */
const coastX = (py: number) => 22 + 4 * Math.sin(py / 6);

/** Water fraction of pixel (x, y) (pixel-centre coordinates) where `water(px, py)` says which points are water. */
function waterFraction(x: number, y: number, water: (px: number, py: number) => boolean): number {
  let inside = 0;
  const n = 8;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (water(x - 0.5 + (i + 0.5) / n, y - 0.5 + (j + 0.5) / n)) inside++;
    }
  }
  return inside / (n * n);
}

/**
 * Index and band of a scene (index mixes linearly here for simplicity; band 0.02 water, 0.3 land), NaN
 * (masked) where `masked(x, y)` says so.
 */
function sceneOf(
  water: (px: number, py: number) => boolean,
  masked: (x: number, y: number) => boolean = () => false,
) {
  const index = new Float32Array(WIDTH * HEIGHT);
  const band = new Float32Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const f = masked(x, y) ? Number.NaN : waterFraction(x, y, water);
      index[y * WIDTH + x] = 0.45 * f - 0.45 * (1 - f);
      band[y * WIDTH + x] = 0.02 * f + 0.3 * (1 - f);
    }
  }
  return { index, band };
}

/** Sea west of a wavy coast, plus (`pond`) a rectangular pond inland. */
function scene(pond: boolean) {
  return sceneOf((px, py) => px < coastX(py) || (pond && px > 40 && px < 52 && py > 14 && py < 30));
}

function crop(values: Float32Array, w: { x0: number; y0: number; x1: number; y1: number }): Float32Array {
  const out = new Float32Array((w.x1 - w.x0) * (w.y1 - w.y0));
  for (let y = w.y0; y < w.y1; y++)
    out.set(values.subarray(y * WIDTH + w.x0, y * WIDTH + w.x1), (y - w.y0) * (w.x1 - w.x0));
  return out;
}

/** The pure part of extractScene: windows with halos from frames, sea selection, stitching. */
function extractLines(
  s: { index: Float32Array; band: Float32Array },
  windowSize: number,
  pixelAreaM2 = PIXEL_M2,
  everyOpenBody = false,
) {
  const halo = 2;
  const g = windowGrid(WIDTH, HEIGHT, windowSize);
  const n = windowCount(g);
  const frames = Array.from({ length: n }, (_, i) => {
    const w = windowAt(g, i);
    return {
      index: frameOf(crop(s.index, w), w.x1 - w.x0, w.y1 - w.y0, halo),
      band: frameOf(crop(s.band, w), w.x1 - w.x0, w.y1 - w.y0, halo),
    };
  });
  const lookup = (pick: 'index' | 'band') => (x: number, y: number) => {
    const i = windowIndexOf(g, x, y);
    return frameValueAt(frames[i]![pick], windowAt(g, i), x, y);
  };
  const outputs: ContourWindowOutput[] = [];
  for (let i = 0; i < n; i++) {
    const w = windowAt(g, i);
    outputs.push(
      contourWindow({
        window: w,
        sceneWidth: WIDTH,
        sceneHeight: HEIGHT,
        index: crop(s.index, w),
        band: crop(s.band, w),
        indexRing: gatherRing(g, w, halo, lookup('index')),
        bandRing: gatherRing(g, w, halo, lookup('band')),
        split,
        levels: null,
      }),
    );
  }
  const infos: WindowComponentInfo[] = outputs.map((o, i) => ({ window: windowAt(g, i), ...o }));
  const sea = selectSea(g, infos, { pixelAreaM2, everyOpenBody });
  const kept: SegmentSet[] = outputs.map((o, w) => {
    const keep = Array.from({ length: o.segments.count }, (_, i) => i).filter((i) =>
      sea.isSea(w, o.segments.tags[i]!),
    );
    return {
      count: keep.length,
      coords: Float64Array.from(
        keep.flatMap((i) => Array.from(o.segments.coords.subarray(4 * i, 4 * i + 4))),
      ),
      edges: Float64Array.from(keep.flatMap((i) => Array.from(o.segments.edges.subarray(2 * i, 2 * i + 2)))),
      tags: Int32Array.from(keep.map((i) => o.segments.tags[i]!)),
    };
  });
  return { sea, lines: stitchSegments(kept), all: stitchSegments(outputs.map((o) => o.segments)) };
}

describe('sea selection across windows', () => {
  it('keeps the coast and drops the pond outline', () => {
    const { sea, lines, all } = extractLines(scene(true), 64);
    expect(sea.componentCount).toBe(2);
    expect(sea.seaComponentCount).toBe(1);
    // In one window the pond is closed (reaches no window border): its outline is never traced at all.
    expect(all).toHaveLength(1);
    expect(lines).toHaveLength(1);
    // Cut by windows, the pond's outline is traced in pieces, and selectSea drops them.
    expect(extractLines(scene(true), 13).all.length).toBeGreaterThan(1);
    const coast = lines[0]!;
    expect(coast.closed).toBe(false);
    // Every vertex lies near the true coast x = 22 + 4 sin(y/6), none near the pond (x > 40).
    for (let i = 0; i < coast.coords.length; i += 2) {
      const x = coast.coords[i]!;
      const y = coast.coords[i + 1]!;
      expect(Math.abs(x - (22 + 4 * Math.sin(y / 6)))).toBeLessThan(0.25);
    }
  });

  it('gives bit-identical lines whatever window size cuts the coast and the pond', () => {
    const s = scene(true);
    const reference = extractLines(s, 64).lines;
    for (const size of [5, 8, 13, 31]) {
      const { lines, sea } = extractLines(s, size);
      expect(sea.seaComponentCount).toBe(1);
      expect(lines).toEqual(reference);
    }
  });

  it('refuses ring labels a neighbour does not confirm, and windows that do not match the grid', () => {
    const s = scene(false);
    const g = windowGrid(WIDTH, HEIGHT, 16);
    const outputs = Array.from({ length: windowCount(g) }, (_, i) => {
      const w = windowAt(g, i);
      const ring = (v: Float32Array) => gatherRing(g, w, 2, (x, y) => v[y * WIDTH + x]!);
      return {
        window: w,
        ...contourWindow({
          window: w,
          sceneWidth: WIDTH,
          sceneHeight: HEIGHT,
          index: crop(s.index, w),
          band: crop(s.band, w),
          indexRing: ring(s.index),
          bandRing: ring(s.band),
          split,
          levels: null,
        }),
      };
    });
    expect(selectSea(g, outputs, { pixelAreaM2: PIXEL_M2 }).seaComponentCount).toBe(1);
    expect(() => selectSea(g, outputs.slice(1), { pixelAreaM2: PIXEL_M2 })).toThrow(RangeError);
    // Window 0 (sea in the west) no longer sees water along its east border: window 1 disagrees.
    const w0 = outputs[0]!;
    const width = w0.window.x1 - w0.window.x0;
    const height = w0.window.y1 - w0.window.y0;
    const edgeLabels = w0.edgeLabels.slice();
    edgeLabels.fill(0, 2 * width + height);
    expect(() =>
      selectSea(g, [{ ...w0, edgeLabels }, ...outputs.slice(1)], { pixelAreaM2: PIXEL_M2 }),
    ).toThrow(/pixel \(15, \d+\) is water for window 1 but not for window 0/);
  });

  it('finds no sea when the only water is a pond', () => {
    const s = scene(true);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < 32; x++) {
        s.index[y * WIDTH + x] = -0.45;
        s.band[y * WIDTH + x] = 0.3;
      }
    }
    const { sea } = extractLines(s, 16);
    expect(sea.componentCount).toBe(1);
    expect(sea.seaComponentCount).toBe(0);
    expect(describeNoSea(sea)).toBe('its only water body reaches neither the scene edge nor a masked area');
  });
});

/** Every vertex of `line` within 0.25 px of the wavy coast. */
function expectOnCoast(line: { coords: Float64Array }) {
  for (let i = 0; i < line.coords.length; i += 2) {
    expect(Math.abs(line.coords[i]! - coastX(line.coords[i + 1]!))).toBeLessThan(0.25);
  }
}

/** The same selection, whatever windows cut the scene. */
function extractEverywhere(s: ReturnType<typeof sceneOf>, pixelAreaM2: number, everyOpenBody = false) {
  const whole = extractLines(s, 64, pixelAreaM2, everyOpenBody);
  for (const size of [8, 13, 31]) {
    const cut = extractLines(s, size, pixelAreaM2, everyOpenBody);
    expect(cut.sea.seaComponentCount).toBe(whole.sea.seaComponentCount);
    expect(cut.sea.seaAreaPx).toBe(whole.sea.seaAreaPx);
    expect(cut.lines).toEqual(whole.lines);
  }
  return whole;
}

const areaM2 = (sea: SeaSelection) => sea.seaAreaPx * sea.pixelAreaM2;

describe('what counts as sea', () => {
  // In 50 m pixels, the 25 ha open water needs to count as sea is 100 pixels: small scenes can show it.
  const PIXEL_50M = 2500;

  it('regression: no sea where only ponds reach the scene edge or a cloud (their outlines were returned)', () => {
    const cloud = (x: number) => x >= 30 && x < 40;
    const s = sceneOf(
      (px, py) =>
        (px < 6 && py > 10 && py < 20) || // cut by the scene edge
        (px > 24 && px < 34 && py > 26 && py < 36) || // cut by the cloud
        (px > 46 && px < 56 && py > 8 && py < 16), // inland
      cloud,
    );
    const { sea, lines } = extractEverywhere(s, PIXEL_M2);
    expect(sea.seaComponentCount).toBe(0);
    expect(lines).toEqual([]);
    expect(sea.componentCount).toBe(3);
    expect(sea.edgeComponentCount).toBe(2);
    // 10 m pixels: 25 ha is 2500 of them, more than this 64 × 48 scene shows; a quarter of it (768) stands in.
    expect(sea.minSeaAreaPx).toBe(768);
    expect(describeNoSea(sea)).toBe(
      'the largest of the 2 water bodies reaching the scene edge or a masked area covers 0.0054 km², and ' +
        'open sea needs at least 0.077 km²',
    );
  });

  it('judges the size of open water on the ground: 500 pixels are sea in 30 m pixels, not in 10 m ones', () => {
    const s = sceneOf((px, py) => px < 12.5 && py > 4 && py < 44);
    expect(extractLines(s, 16, PIXEL_M2).sea.seaComponentCount).toBe(0);
    const coarse = extractLines(s, 16, 900).sea;
    expect(coarse.seaComponentCount).toBe(1);
    expect(coarse.minSeaAreaPx).toBeCloseTo(SEA_MIN_AREA_M2 / 900, 9);
    expect(areaM2(coarse)).toBeGreaterThan(SEA_MIN_AREA_M2);
  });

  it('regression: drops a lake that reaches one side of the scene, however large, when the sea reaches two', () => {
    const s = sceneOf((px, py) => px < coastX(py) || (px > 30 && py > 4 && py < 44));
    const { sea, lines, all } = extractEverywhere(s, PIXEL_50M);
    expect(sea.componentCount).toBe(2);
    expect(sea.seaComponentCount).toBe(1);
    expect(all).toHaveLength(2);
    expect(lines).toHaveLength(1);
    expectOnCoast(lines[0]!);
    // The lake is the largest water body (about 1290 px against the sea's 1100), and the only one at the east.
    expect(sea.seaAreaPx).toBeLessThan(1200);
    expect(sea.largestEdgeAreaPx).toBeGreaterThan(1200);
  });

  it('regression: keeps both pieces of a sea cut by a cape, and drops a larger lake at the far side', () => {
    const s = sceneOf((px, py) => (px < 12 && (py < 18 || py > 30)) || (px > 30 && py > 4 && py < 44));
    const { sea, lines } = extractEverywhere(s, PIXEL_50M);
    expect(sea.componentCount).toBe(3);
    expect(sea.seaComponentCount).toBe(2);
    expect(sea.seaAreaPx).toBeLessThan(500);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      for (let i = 0; i < line.coords.length; i += 2) expect(line.coords[i]!).toBeLessThan(13);
    }
  });

  it('keeps a sea seen only through masked areas (nodata all around), not the ponds they cut', () => {
    const frame = (x: number, y: number) => x < 2 || y < 2 || x >= WIDTH - 2 || y >= HEIGHT - 2;
    const s = sceneOf((px, py) => px < coastX(py) || (px > 54 && py > 20 && py < 28), frame);
    const { sea, lines } = extractEverywhere(s, PIXEL_50M);
    expect(sea.edgeComponentCount).toBe(2);
    expect(sea.seaComponentCount).toBe(1);
    expect(lines).toHaveLength(1);
    expectOnCoast(lines[0]!);
  });

  it('with no open water reaching two sides, takes the largest body and any at least a tenth of it', () => {
    // A bay entering through the west side only, and a lake cut by the east side: connectivity cannot tell
    // which is the sea, so both are kept (a reference shoreline can choose).
    const s = sceneOf((px, py) => (px < 10 && py > 8 && py < 40) || (px > 40 && py > 12 && py < 36));
    const { sea } = extractEverywhere(s, PIXEL_50M);
    expect(sea.seaComponentCount).toBe(2);
  });

  it('regression: a lake reaching one side and a cloud does not make a sea through one side look like a lake', () => {
    // A bay entering through the west side only; a lake cut by the east side that also touches a cloud bank.
    // Only sides of the scene prove that water crosses it, so neither body excludes the other.
    const cloud = (x: number, y: number) => x >= 44 && x < 52 && y >= 36;
    const s = sceneOf((px, py) => (px < 10 && py > 8 && py < 40) || (px > 40 && py > 12 && py < 36), cloud);
    const { sea, lines } = extractEverywhere(s, PIXEL_50M);
    expect(sea.seaComponentCount).toBe(2);
    expect(lines.some((line) => line.coords[0]! < 12)).toBe(true);
  });

  it('takes a lake at a corner for the sea over a bay through one side; every open body, for a reference', () => {
    const water = (px: number, py: number) =>
      (px < 10 && py > 8 && py < 40) || // a bay entering through the west side only
      (px > 40 && py < 20) || // a lake at the north-east corner
      (px > 58 && py > 32 && py < 36) || // a pond cut by the east side (4 ha: no evidence of sea)
      (px > 30 && px < 36 && py > 26 && py < 34); // an inland pond
    const s = sceneOf(water);
    const bayLine = (line: { coords: Float64Array }) => line.coords[0]! < 12;
    const connectivity = extractEverywhere(s, PIXEL_50M);
    expect(connectivity.sea.seaComponentCount).toBe(1);
    expect(connectivity.lines.some(bayLine)).toBe(false);
    const all = extractEverywhere(s, PIXEL_50M, true);
    expect(all.sea.seaComponentCount).toBe(2);
    expect(all.lines.filter(bayLine)).toHaveLength(1);
    expect(all.lines).toHaveLength(2);
  });

  it('refuses a pixel area that is not a positive number of square metres', () => {
    const g = windowGrid(WIDTH, HEIGHT, 64);
    for (const bad of [0, -100, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => selectSea(g, [], { pixelAreaM2: bad })).toThrow(/pixel area/);
    }
  });

  it('leaves its input unchanged', () => {
    const s = sceneOf((px, py) => px < coastX(py) || (px > 30 && py > 4 && py < 44));
    const g = windowGrid(WIDTH, HEIGHT, 13);
    const infos: WindowComponentInfo[] = Array.from({ length: windowCount(g) }, (_, i) => {
      const w = windowAt(g, i);
      const ring = (v: Float32Array) => gatherRing(g, w, 2, (x, y) => v[y * WIDTH + x]!);
      return {
        window: w,
        ...contourWindow({
          window: w,
          sceneWidth: WIDTH,
          sceneHeight: HEIGHT,
          index: crop(s.index, w),
          band: crop(s.band, w),
          indexRing: ring(s.index),
          bandRing: ring(s.band),
          split,
          levels: null,
        }),
      };
    });
    const copy = infos.map((info) => ({
      ...info,
      area: info.area.slice(),
      touchesEdge: info.touchesEdge.slice(),
      ringLabels: info.ringLabels.slice(),
      edgeLabels: info.edgeLabels.slice(),
    }));
    selectSea(g, infos, { pixelAreaM2: PIXEL_50M });
    expect(infos).toEqual(copy);
  });
});
