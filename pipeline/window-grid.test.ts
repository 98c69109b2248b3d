import { describe, expect, it } from 'vitest';
import {
  frameOf,
  frameValueAt,
  gatherRing,
  ringFromFrames,
  windowAt,
  windowCount,
  windowGrid,
  windowIndexOf,
  withRing,
} from './window-grid.ts';

function ramp(width: number, height: number): Float32Array {
  return Float32Array.from({ length: width * height }, (_, i) => i);
}

function crop(
  values: Float32Array,
  width: number,
  w: { x0: number; y0: number; x1: number; y1: number },
): Float32Array {
  const out = new Float32Array((w.x1 - w.x0) * (w.y1 - w.y0));
  for (let y = w.y0; y < w.y1; y++)
    out.set(values.subarray(y * width + w.x0, y * width + w.x1), (y - w.y0) * (w.x1 - w.x0));
  return out;
}

describe('window grid', () => {
  it('tiles the scene with square windows, narrower at the right and bottom', () => {
    const g = windowGrid(10, 7, 4);
    expect(windowCount(g)).toBe(6);
    expect(windowAt(g, 5)).toEqual({ x0: 8, y0: 4, x1: 10, y1: 7 });
    expect(windowIndexOf(g, 9, 6)).toBe(5);
    expect(() => windowGrid(10, 7, 0)).toThrow(RangeError);
    expect(() => windowGrid(0, 7, 4)).toThrow(RangeError);
  });

  it('rebuilds every window with its halo from the neighbours’ frames alone', () => {
    const width = 11;
    const height = 9;
    const halo = 2;
    const scene = ramp(width, height);
    // Windows of 3 px: the last column of windows is 2 px wide, narrower than... equal to the halo.
    const g = windowGrid(width, height, 3);
    const frames = Array.from({ length: windowCount(g) }, (_, i) => {
      const w = windowAt(g, i);
      return frameOf(crop(scene, width, w), w.x1 - w.x0, w.y1 - w.y0, halo);
    });
    const lookup = (x: number, y: number) => {
      const i = windowIndexOf(g, x, y);
      return frameValueAt(frames[i]!, windowAt(g, i), x, y);
    };
    for (let i = 0; i < windowCount(g); i++) {
      const w = windowAt(g, i);
      const ring = gatherRing(g, w, halo, lookup);
      const full = withRing(crop(scene, width, w), w.x1 - w.x0, w.y1 - w.y0, ring);
      const fw = w.x1 - w.x0 + 2 * halo;
      for (let y = w.y0 - halo; y < w.y1 + halo; y++) {
        for (let x = w.x0 - halo; x < w.x1 + halo; x++) {
          const got = full[(y - w.y0 + halo) * fw + (x - w.x0 + halo)]!;
          const inside = x >= 0 && y >= 0 && x < width && y < height;
          if (inside) expect(got).toBe(scene[y * width + x]);
          else expect(got).toBeNaN();
        }
      }
    }
  });

  it('copies the same rings out of the frames as a pixel-by-pixel lookup, NaN where a frame is missing', () => {
    const width = 11;
    const height = 9;
    const scene = ramp(width, height);
    for (const size of [1, 2, 3, 4, 5, 11, 16]) {
      for (const halo of [1, 2, 3]) {
        const g = windowGrid(width, height, size);
        const frames = Array.from({ length: windowCount(g) }, (_, i) => {
          const w = windowAt(g, i);
          // Every fifth window has no frame (pass 1 gave none).
          return i % 5 === 3 ? null : frameOf(crop(scene, width, w), w.x1 - w.x0, w.y1 - w.y0, halo);
        });
        const lookup = (x: number, y: number) => {
          const i = windowIndexOf(g, x, y);
          const frame = frames[i];
          return frame ? frameValueAt(frame, windowAt(g, i), x, y) : Number.NaN;
        };
        for (let i = 0; i < windowCount(g); i++) {
          expect(ringFromFrames(g, frames, i, halo)).toEqual(gatherRing(g, windowAt(g, i), halo, lookup));
        }
      }
    }
  });

  it('refuses pixels a frame does not hold', () => {
    const frame = frameOf(ramp(8, 8), 8, 8, 2);
    const w = { x0: 0, y0: 0, x1: 8, y1: 8 };
    expect(frameValueAt(frame, w, 1, 5)).toBe(5 * 8 + 1);
    expect(() => frameValueAt(frame, w, 4, 4)).toThrow(/frame/);
    expect(() => frameValueAt(frame, w, 9, 4)).toThrow(/not in the window/);
  });

  it('leaves its inputs unchanged', () => {
    const values = ramp(5, 4);
    const copy = values.slice();
    const ring = gatherRing(windowGrid(5, 4, 5), { x0: 0, y0: 0, x1: 5, y1: 4 }, 1, () => 1);
    frameOf(values, 5, 4, 2);
    withRing(values, 5, 4, ring);
    expect(values).toEqual(copy);
  });
});
