import { describe, expect, it } from 'vitest';
import { type ContourWindowOutput, contourWindow } from './contour-window.ts';
import type { SegmentSet } from './marching-squares.ts';
import { selectSea, type WindowComponentInfo } from './sea-mask.ts';
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

/** Water fraction of pixel (x, y): sea west of a wavy coast, plus a rectangular pond inland. */
function waterFraction(x: number, y: number, pond: boolean): number {
  let inside = 0;
  const n = 8;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const px = x - 0.5 + (i + 0.5) / n;
      const py = y - 0.5 + (j + 0.5) / n;
      const coast = 22 + 4 * Math.sin(py / 6);
      const inPond = pond && px > 40 && px < 52 && py > 14 && py < 30;
      if (px < coast || inPond) inside++;
    }
  }
  return inside / (n * n);
}

/** Index and band of a scene (index mixes linearly here for simplicity; band 0.02 water, 0.3 land). */
function scene(pond: boolean) {
  const index = new Float32Array(WIDTH * HEIGHT);
  const band = new Float32Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const f = waterFraction(x, y, pond);
      index[y * WIDTH + x] = 0.45 * f - 0.45 * (1 - f);
      band[y * WIDTH + x] = 0.02 * f + 0.3 * (1 - f);
    }
  }
  return { index, band };
}

function crop(values: Float32Array, w: { x0: number; y0: number; x1: number; y1: number }): Float32Array {
  const out = new Float32Array((w.x1 - w.x0) * (w.y1 - w.y0));
  for (let y = w.y0; y < w.y1; y++)
    out.set(values.subarray(y * WIDTH + w.x0, y * WIDTH + w.x1), (y - w.y0) * (w.x1 - w.x0));
  return out;
}

/** The pure part of extractScene: windows with halos from frames, sea selection, stitching. */
function extractLines(s: { index: Float32Array; band: Float32Array }, windowSize: number) {
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
  const sea = selectSea(g, infos);
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
    expect(selectSea(g, outputs).seaComponentCount).toBe(1);
    expect(() => selectSea(g, outputs.slice(1))).toThrow(RangeError);
    // Window 0 (sea in the west) no longer sees water along its east border: window 1 disagrees.
    const w0 = outputs[0]!;
    const width = w0.window.x1 - w0.window.x0;
    const height = w0.window.y1 - w0.window.y0;
    const edgeLabels = w0.edgeLabels.slice();
    edgeLabels.fill(0, 2 * width + height);
    expect(() => selectSea(g, [{ ...w0, edgeLabels }, ...outputs.slice(1)])).toThrow(
      /pixel \(15, \d+\) is water for window 1 but not for window 0/,
    );
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
  });
});
