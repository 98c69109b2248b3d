import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { CoastModel } from '../../fixtures/coast-model.ts';
import { SceneRenderer } from '../../fixtures/scene-renderer.ts';
import type { GeoTransform } from '../../sources/scene-source.ts';
import { mndwi } from '../water-index.ts';
import { ndvi } from './ndvi.ts';
import { seaWaterMask } from './sea-water-mask.ts';
import { vegetationEdge } from './vegetation-edge.ts';

// A mudflat coast with aquaculture ponds (some just behind the mangrove edge) and clearings in the mangrove.
const model = new CoastModel({
  seed: 5,
  widthPx: 256,
  heightPx: 192,
  // One year: the pond nearest the coast then sits 40–80 m behind this very edge.
  firstYear: 2017,
  lastYear: 2017,
  mudflat: { tideRangeM: 1, slope: 0.002 },
});
const year = 2017;
const { widthPx: width, heightPx: height } = model.spec;
const rendered = new SceneRenderer(model, { year, noise: 0.03 }).renderRows(height);
const [green, red, nir, swir] = rendered.map((band) => Float32Array.from(band)) as [
  Float32Array,
  Float32Array,
  Float32Array,
  Float32Array,
];
const water = mndwi(green, swir);
const gt = model.geoTransform as GeoTransform;
const seaMask = seaWaterMask({ width, height, waterIndex: water, threshold: 0, pixelAreaM2: gt[1] * -gt[5] });

/** Every vertex of the lines as [xM, yM]. */
function vertices(lines: readonly Float64Array[]): [number, number][] {
  const out: [number, number][] = [];
  for (const l of lines) for (let i = 0; i < l.length; i += 2) out.push([l[i]!, l[i + 1]!]);
  return out;
}

type Rect = { x0M: number; x1M: number; y0M: number; y1M: number };
const inside = (p: [number, number], r: Rect, padM: number) =>
  p[0] > r.x0M - padM && p[0] < r.x1M + padM && p[1] > r.y0M - padM && p[1] < r.y1M + padM;

describe('vegetationEdge on a mudflat coast with ponds and clearings', () => {
  const out = vegetationEdge({ width, height, red, nir, seaMask, geoTransform: gt });
  const points = vertices(out.linesCrs);

  it('has what makes the test meaningful: clearings, ponds near the edge, both below the NDVI threshold', () => {
    expect(model.clearings.length).toBeGreaterThan(0);
    const edgeAt = (y: number) => model.sceneVegetationEdgeXM(y, year);
    const nearPonds = model.ponds.filter((p) => p.x0M - p.dykeWidthM - edgeAt((p.y0M + p.y1M) / 2) < 100);
    expect(nearPonds.length).toBeGreaterThan(0);
    const index = ndvi(red, nir);
    for (const c of [...model.clearings, ...model.ponds]) {
      const col = Math.floor(((c.x0M + c.x1M) / 2 - gt[0]) / 10);
      const row = Math.floor((gt[3] - (c.y0M + c.y1M) / 2) / 10);
      expect(index[row * width + col]!).toBeLessThan(out.threshold);
    }
    // Those regions exist (an unfiltered contour would trace them) but do not face the sea.
    expect(out.openRegionCount - out.seaFacingRegionCount).toBeGreaterThanOrEqual(
      model.clearings.length + model.ponds.length,
    );
    expect(out.thresholdMethod).toBe('otsu');
  });

  it('follows the true mangrove edge within a pixel, from the top of the scene to the bottom', () => {
    expect(points.length).toBeGreaterThan(height);
    let worst = 0;
    for (const p of points) worst = Math.max(worst, Math.abs(p[0] - model.sceneVegetationEdgeXM(p[1], year)));
    expect(worst).toBeLessThan(10);
    const ys = points.map((p) => p[1]);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan((height - 2) * 10);
  });

  it('never follows a pond or clearing edge', () => {
    for (const p of points) {
      for (const c of model.clearings) expect(inside(p, c, 10)).toBe(false);
      for (const pond of model.ponds) expect(inside(p, pond, pond.dykeWidthM + 10)).toBe(false);
    }
  });

  it('takes a fixed threshold as well', () => {
    const fixed = vegetationEdge({ width, height, red, nir, seaMask, geoTransform: gt, threshold: 0.45 });
    expect(fixed.thresholdMethod).toBe('fixed');
    expect(fixed.threshold).toBe(0.45);
    for (const p of vertices(fixed.linesCrs)) {
      expect(Math.abs(p[0] - model.sceneVegetationEdgeXM(p[1], year))).toBeLessThan(10);
    }
  });

  it('leaves its inputs unchanged', () => {
    const copies = [red.slice(), nir.slice(), seaMask.slice()];
    vegetationEdge({ width, height, red, nir, seaMask });
    expect([red, nir, seaMask]).toEqual(copies);
  });
});

describe('vegetationEdge bad input', () => {
  const small = {
    width: 4,
    height: 3,
    red: new Float32Array(12).fill(0.03),
    nir: new Float32Array(12).fill(0.3),
  };
  const mask = new Uint8Array(12);
  it.each([1.5, -1, Number.NaN, 'median'])('rejects threshold %s', (threshold) => {
    expect(() => vegetationEdge({ ...small, seaMask: mask, threshold: threshold as number })).toThrow(
      /NDVI threshold must be/,
    );
  });
  it('rejects arrays of the wrong size and a grid too small', () => {
    expect(() => vegetationEdge({ ...small, seaMask: new Uint8Array(11) })).toThrow(TidemarkError);
    expect(() => vegetationEdge({ ...small, width: 1, height: 12, seaMask: mask })).toThrow(/at least 2×2/);
  });
  it('says when there is no vegetation edge', () => {
    expect(() => vegetationEdge({ ...small, seaMask: mask })).toThrow(/single class/);
  });
});

describe('seaWaterMask', () => {
  it('keeps the sea and drops the ponds', () => {
    for (const pond of model.ponds) {
      const col = Math.floor(((pond.x0M + pond.x1M) / 2 - gt[0]) / 10);
      const row = Math.floor((gt[3] - (pond.y0M + pond.y1M) / 2) / 10);
      expect(water[row * width + col]!).toBeGreaterThan(0);
      expect(seaMask[row * width + col]).toBe(0);
    }
    expect(seaMask[0]).toBe(1);
    expect(seaMask[width - 1]).toBe(0);
  });
  it('rejects a bad threshold or size', () => {
    expect(() =>
      seaWaterMask({ width, height, waterIndex: water, threshold: Number.NaN, pixelAreaM2: 100 }),
    ).toThrow(RangeError);
    expect(() =>
      seaWaterMask({ width: 3, height, waterIndex: water, threshold: 0, pixelAreaM2: 100 }),
    ).toThrow(RangeError);
  });
});

describe('seaWaterMask: what counts as sea', () => {
  // 60 × 40 pixels of 10 m: open sea must cover a quarter of the scene here (25 ha would be 2500 pixels).
  const W = 60;
  const H = 40;
  const index = (water: (x: number, y: number) => boolean) =>
    Float32Array.from({ length: W * H }, (_, i) => (water(i % W, Math.floor(i / W)) ? 0.5 : -0.5));
  const seaPixels = (water: (x: number, y: number) => boolean) =>
    seaWaterMask({ width: W, height: H, waterIndex: index(water), threshold: 0, pixelAreaM2: 100 }).reduce(
      (n, v) => n + v,
      0,
    );

  it('regression: ponds reaching the scene edge are no sea (a clouded or inland scene gave their edges)', () => {
    expect(seaPixels((x, y) => (x < 5 && y > 10 && y < 20) || (x > 50 && y > 25 && y < 30))).toBe(0);
  });

  it('keeps open sea, and leaves a lake cut by one side out when the sea crosses the scene', () => {
    const sea = (x: number) => x < 20;
    expect(seaPixels((x) => sea(x))).toBe(20 * H);
    expect(seaPixels((x, y) => sea(x) || (x > 45 && y > 5 && y < 35))).toBe(20 * H);
  });
});
