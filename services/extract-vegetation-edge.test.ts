import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { coastModelForScene, writeSceneFile } from '../fixtures/generate-scene.ts';
import { lonLatToUtm } from '../fixtures/utm-projection.ts';
import { extractVegetationEdge } from './extract-vegetation-edge.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-vegetation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = {
  sizePx: 256,
  heightPx: 192,
  year: 2017,
  seed: 5,
  noise: 0.03,
  firstYear: 2017,
  lastYear: 2017,
  mudflat: { tideRangeM: 1, slope: 0.002 },
};
const model = coastModelForScene(spec);
const mudPath = join(dir, 'mud.tif');
writeSceneFile(spec, mudPath, model);
// A plain fixture scene has no red band.
const plainPath = join(dir, 'plain.tif');
writeSceneFile(
  { sizePx: 256, heightPx: 192, year: 2017, seed: 5, firstYear: 2017, lastYear: 2017 },
  plainPath,
);

describe('extractVegetationEdge', () => {
  it('follows the mangrove edge, north to south with the sea on its right', async () => {
    const result = await extractVegetationEdge(mudPath);
    expect(result.shorelines.features.length).toBeGreaterThan(0);
    let worst = 0;
    for (const f of result.shorelines.features) {
      expect(f.properties).toMatchObject({
        proxy: 'vegetation',
        index: 'ndvi',
        scene: 'mud.tif',
        epsg: 32648,
      });
      const coords = f.geometry.coordinates;
      expect(coords[0]![1]!).toBeGreaterThan(coords.at(-1)![1]!);
      for (const p of coords) {
        const [x, y] = lonLatToUtm([p[0]!, p[1]!]);
        worst = Math.max(worst, Math.abs(x - model.sceneVegetationEdgeXM(y, 2017)));
      }
    }
    expect(worst).toBeLessThan(10);
    expect(result.threshold).toBeGreaterThan(0.2);
    expect(result.threshold).toBeLessThan(0.8);
  });

  it('names the red band when the scene lacks it', async () => {
    await expect(extractVegetationEdge(plainPath)).rejects.toThrow(
      /missing band red \(Sentinel-2 B04, Landsat 8\/9 SR_B4\)/,
    );
    await expect(extractVegetationEdge(plainPath)).rejects.toMatchObject({ code: 'MISSING_BAND' });
  });

  it.each([
    ['an NDVI threshold of 2', { threshold: 2 }, /NDVI threshold/],
    ['a water threshold of NaN', { waterThreshold: Number.NaN }, /water threshold/],
    ['a negative minimum length', { minLengthM: -5 }, /minimum length/],
  ])('rejects %s', async (_name, options, message) => {
    await expect(extractVegetationEdge(mudPath, options)).rejects.toThrow(message);
  });

  it('refuses a scene larger than it reads whole', async () => {
    await expect(extractVegetationEdge(mudPath, { maxPixels: 1000 })).rejects.toThrow(TidemarkError);
    await expect(extractVegetationEdge(mudPath, { maxPixels: 1000 })).rejects.toMatchObject({
      code: 'TOO_LARGE',
    });
  });
});
