import { describe, expect, it } from 'vitest';
import type { SceneInfo } from '../sources/scene-source.ts';
import { assembleShorelines, clipSegment, keepSea, referenceInPixels } from './assemble-shorelines.ts';
import { contourWindow } from './contour-window.ts';
import { gatherRing, windowGrid } from './window-grid.ts';

const W = 40;
const H = 30;
const info: SceneInfo = {
  fileName: 'coast.tif',
  width: W,
  height: H,
  epsg: 32648,
  proj4: '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs',
  crsUnits: 'metre',
  metresPerUnit: 1,
  geoTransform: [500000, 10, 0, 1000000, 0, -10],
  date: '2021-01-01',
  bandMap: { green: 1, swir16: 2 },
  bandDescriptions: ['B03', 'B11'],
  nodata: null,
  reflectanceScale: null,
  blockWidth: W,
  blockHeight: H,
};
const split = { threshold: 0, waterMean: 0.5, landMean: -0.5 };

/** Sea west of x = 14.3 (pixel-centre coordinates), a pond inland. */
function output() {
  const index = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const f = Math.min(1, Math.max(0, 14.3 - x + 0.5));
      const pond = x >= 28 && x < 33 && y >= 10 && y < 15;
      index[y * W + x] = pond ? 0.5 : f - 0.5;
    }
  }
  const g = windowGrid(W, H, Math.max(W, H));
  const window = { x0: 0, y0: 0, x1: W, y1: H };
  const ring = gatherRing(g, window, 3, () => Number.NaN);
  return {
    grid: g,
    out: contourWindow({
      window,
      sceneWidth: W,
      sceneHeight: H,
      index,
      band: null,
      indexRing: ring,
      bandRing: null,
      split,
      levels: null,
    }),
  };
}

describe('assembleShorelines', () => {
  it('keeps the sea boundary only, in EPSG:4326 with its properties, sea on the right', () => {
    const { grid, out } = output();
    const fc = assembleShorelines(info, grid, [out], 'mndwi', 0, 200, null);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0]!;
    expect(f.properties).toMatchObject({
      date: '2021-01-01',
      index: 'mndwi',
      threshold: 0,
      scene: 'coast.tif',
      epsg: 32648,
    });
    expect(f.properties.length_m).toBeGreaterThan(280);
    expect(f.properties.length_m).toBeLessThan(300);
    const coords = f.geometry.coordinates as number[][];
    // Sea to the west and on the right: the line runs from north to south.
    expect(coords[0]![1]).toBeGreaterThan(coords[coords.length - 1]![1]!);
    // x ≈ 500000 + (14.3 + 0.5)·10 m: about 148 m east of the central meridian.
    expect(coords[0]![0]).toBeCloseTo(105.0013, 3);
  });

  it('drops lines shorter than the minimum length, saying so', () => {
    const { grid, out } = output();
    expect(() => assembleShorelines(info, grid, [out], 'mndwi', 0, 1000, null)).toThrow(/at least 1000 m/);
  });

  it('keepSea keeps the segments of sea labels only and leaves its input unchanged', () => {
    const { out } = output();
    const before = out.segments.count;
    const none = keepSea(out, () => false);
    expect(none.count).toBe(0);
    expect(keepSea(out, () => true).count).toBe(before);
    expect(out.segments.count).toBe(before);
  });

  it('keepSea keeps each kept segment whole: coordinates, edge ids and tag, in order', () => {
    const segments = {
      count: 5,
      coords: Float64Array.from({ length: 20 }, (_, i) => i + 0.5),
      edges: Float64Array.from({ length: 10 }, (_, i) => 100 + i),
      tags: Int32Array.of(1, 2, 1, 3, 2),
    };
    const kept = keepSea({ segments }, (label) => label !== 2);
    expect(kept.count).toBe(3);
    expect(Array.from(kept.coords)).toEqual([0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15].map((i) => i + 0.5));
    expect(Array.from(kept.edges)).toEqual([100, 101, 104, 105, 106, 107]);
    expect(Array.from(kept.tags)).toEqual([1, 1, 3]);
  });
});

describe('referenceInPixels', () => {
  it('projects the reference into pixel coordinates and the buffer into pixels', () => {
    const ref = referenceInPixels(info, {
      geojson: {
        type: 'LineString',
        // UTM 48N (500000, 999850) and (500000, 999750): rows 14.5 and 24.5 of the scene's first column.
        coordinates: [
          [105, 9.045205704],
          [105, 9.044301197],
        ],
      },
      bufferM: 50,
    });
    expect(ref.bufferPx).toBeCloseTo(5, 9);
    expect(ref.lines[0]![0]![0]).toBeCloseTo(-0.5, 3);
    expect(ref.lines[0]![0]![1]).toBeCloseTo(14.5, 3);
    expect(ref.lines[0]![1]![1]).toBeCloseTo(24.5, 3);
  });

  it('rejects a bad buffer, an empty reference and malformed coordinates', () => {
    expect(() =>
      referenceInPixels(info, { geojson: { type: 'LineString', coordinates: [[105, 9]] }, bufferM: -1 }),
    ).toThrow(/buffer/);
    expect(() =>
      referenceInPixels(info, { geojson: { type: 'Point', coordinates: [105, 9] }, bufferM: 10 }),
    ).toThrow(/no lines/);
    expect(() =>
      referenceInPixels(info, { geojson: { type: 'LineString', coordinates: [['a', 9]] }, bufferM: 10 }),
    ).toThrow(/malformed/);
  });
});

describe('clipSegment', () => {
  const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
  it('keeps the part of a segment inside the box, and nothing of one outside', () => {
    expect(clipSegment([-5, 5], [15, 5], box)).toEqual([
      [0, 5],
      [10, 5],
    ]);
    expect(clipSegment([2, 2], [3, 4], box)).toEqual([
      [2, 2],
      [3, 4],
    ]);
    expect(clipSegment([-5, -5], [-1, 20], box)).toBeNull();
    expect(clipSegment([11, 0], [11, 10], box)).toBeNull();
    expect(clipSegment([Number.NaN, 0], [5, 5], box)).toBeNull();
    const [a, b] = clipSegment([-10, -10], [20, 20], box)!;
    expect(a[0]).toBeCloseTo(0, 12);
    expect(b[1]).toBeCloseTo(10, 12);
  });
});
