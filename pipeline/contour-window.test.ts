import { describe, expect, it } from 'vitest';
import { ScratchArena } from '../common/scratch-arena.ts';
import { type LevelGrid, uniformLevels } from './block-levels.ts';
import { CONTOUR_HALO_PX, type ContourWindowOutput, contourWindow } from './contour-window.ts';
import { gatherRing, windowAt, windowCount, windowGrid } from './window-grid.ts';

const split = { threshold: 0, waterMean: 0.5, landMean: -0.5 };

/** A wavy coast with a pond and a nodata patch: every window holds water, land, ponds or invalid pixels. */
function scene(width: number, height: number): Float32Array {
  const index = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shore = width * 0.45 + 6 * Math.sin(y / 5);
      const pond = (x - width * 0.75) ** 2 + (y - height * 0.3) ** 2 < 16;
      const f = Math.min(1, Math.max(0, shore - x + 0.5));
      index[y * width + x] = pond ? 0.5 : f - 0.5;
      if (x > width * 0.6 && y > height * 0.8) index[y * width + x] = Number.NaN;
    }
  }
  return index;
}

function crop(values: Float32Array, width: number, w: { x0: number; y0: number; x1: number; y1: number }) {
  const out = new Float32Array((w.x1 - w.x0) * (w.y1 - w.y0));
  for (let y = w.y0; y < w.y1; y++)
    out.set(values.subarray(y * width + w.x0, y * width + w.x1), (y - w.y0) * (w.x1 - w.x0));
  return out;
}

/** The contour band: dark over water (0.05), bright over land (0.3), linear in the water fraction. */
function bandOf(index: Float32Array): Float32Array {
  return index.map((v) => 0.3 - 0.25 * Math.min(1, Math.max(0, v + 0.5)));
}

/** One block for the whole scene, with the band's water and land levels. */
function levelsFor(width: number, height: number): LevelGrid {
  return uniformLevels(Math.max(width, height), 0.05, 0.3);
}

function contourAll(
  width: number,
  height: number,
  size: number,
  opts: { arena?: ScratchArena; withBand: boolean },
): ContourWindowOutput[] {
  const values = scene(width, height);
  const band = bandOf(values);
  const grid = windowGrid(width, height, size);
  return Array.from({ length: windowCount(grid) }, (_, w) => {
    const window = windowAt(grid, w);
    const ring = (v: Float32Array) => gatherRing(grid, window, CONTOUR_HALO_PX, (x, y) => v[y * width + x]!);
    return contourWindow({
      window,
      sceneWidth: width,
      sceneHeight: height,
      index: crop(values, width, window),
      band: opts.withBand ? crop(band, width, window) : null,
      indexRing: ring(values),
      bandRing: opts.withBand ? ring(band) : null,
      split,
      levels: opts.withBand ? levelsFor(width, height) : null,
      ...(opts.arena ? { arena: opts.arena } : {}),
    });
  });
}

describe('contourWindow with a scratch arena', () => {
  it.each([false, true])(
    'gives exactly what it gives without one, window after window of differing sizes (band %s)',
    (withBand) => {
      // 70 × 50 in windows of 32: full, narrower and shorter windows follow each other through one arena.
      const plain = contourAll(70, 50, 32, { withBand });
      const arena = new ScratchArena();
      // The other mode first, so the arena's buffers hold another run's values when this one starts.
      contourAll(70, 50, 32, { withBand: !withBand, arena });
      const reused = contourAll(70, 50, 32, { withBand, arena });
      const again = contourAll(70, 50, 32, { withBand, arena });
      expect(plain.some((o) => o.segments.count > 0)).toBe(true);
      expect(reused).toEqual(plain);
      expect(again).toEqual(plain);
    },
  );

  it('returns nothing that lives in the arena (results can be moved to another thread)', () => {
    const arena = new ScratchArena();
    const [first] = contourAll(70, 50, 32, { arena, withBand: true });
    const arrays = [first!.segments.coords, first!.segments.edges, first!.segments.tags, first!.area];
    const buffers = [first!.touchesEdge, first!.ringLabels, first!.edgeLabels, ...arrays].map(
      (a) => a.buffer,
    );
    // Moving every result buffer away leaves the arena usable and the next window unaffected.
    structuredClone(buffers, { transfer: [...new Set(buffers)] as ArrayBuffer[] });
    expect(contourAll(70, 50, 32, { arena, withBand: true })).toEqual(
      contourAll(70, 50, 32, { withBand: true }),
    );
  });
});
