import type { Feature, FeatureCollection, LineString } from 'geojson';
import { TidemarkError } from '../common/errors.ts';
import { geoTransformMirrors, pixelLineToCrs } from '../pipeline/geotransform.ts';
import { groundPixelAreaM2 } from '../pipeline/ground-pixel-area.ts';
import { geodesicLengthM } from '../pipeline/line-length.ts';
import { histogramOf, otsuThreshold } from '../pipeline/otsu-threshold.ts';
import { reprojectLine, toWgs84 } from '../pipeline/reproject-lines.ts';
import { smoothLine } from '../pipeline/smooth-line.ts';
import { seaWaterMask } from '../pipeline/vegetation/sea-water-mask.ts';
import { vegetationEdge } from '../pipeline/vegetation/vegetation-edge.ts';
import { mndwi } from '../pipeline/water-index.ts';
import { requireBands } from '../sources/band-mapping.ts';
import { openSceneSource, type SceneInput } from '../sources/open-scene-source.ts';
import type { BandKey, SceneInfo } from '../sources/scene-source.ts';

export interface VegetationExtractOptions {
  bands?: Partial<Record<BandKey, number>>;
  date?: string;
  /** A cloud-mask GeoTIFF on the scene's grid (`--mask`): non-zero masks the pixel. */
  mask?: string;
  /** NDVI threshold: 'otsu' (default, over the pixels that are not sea) or a fixed value in (−1, 1). */
  threshold?: 'otsu' | number;
  /** MNDWI threshold of the sea mask: 'otsu' (default) or a fixed value in (−1, 1). */
  waterThreshold?: 'otsu' | number;
  /** Shorter lines are dropped (default 200 m). */
  minLengthM?: number;
  /**
   * The scene is read whole (the windowed extractor does not do NDVI yet): larger scenes are refused before
   * anything is read. Default 4096² px, about 0.5 GB of working memory.
   */
  maxPixels?: number;
}

export type VegetationShorelineProperties = {
  date: string | null;
  proxy: 'vegetation';
  index: 'ndvi';
  threshold: number;
  /** MNDWI threshold of the sea mask that decided which side is the sea. */
  water_threshold: number;
  scene: string;
  epsg: number | null;
  length_m: number;
};

export interface VegetationExtractResult {
  /** EPSG:4326 lines of the seaward vegetation edge, with the sea (and mud) on their right-hand side. */
  shorelines: FeatureCollection<LineString, VegetationShorelineProperties>;
  scene: SceneInfo;
  threshold: number;
  waterThreshold: number;
}

export const DEFAULT_VEGETATION_MAX_PIXELS = 4096 * 4096;
const VEGETATION_BANDS: readonly BandKey[] = ['green', 'red', 'nir', 'swir16'];
const SMOOTHING_PASSES = 2;

function checkThreshold(value: unknown, name: string): void {
  if (value === undefined || value === 'otsu') return;
  if (typeof value !== 'number' || !(value > -1 && value < 1)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${name} must be 'otsu' or a number in (−1, 1), got ${String(value)}`,
    );
  }
}

/**
 * The vegetation-edge shoreline of one scene (`--proxy vegetation`): the seaward edge of the mangrove from
 * NDVI, on the side of the scene's sea-connected MNDWI water. Needs green, red, NIR and SWIR 1.6 µm; a
 * missing band is a MISSING_BAND error naming it.
 */
export async function extractVegetationEdge(
  input: SceneInput,
  options: VegetationExtractOptions = {},
  signal?: AbortSignal,
): Promise<VegetationExtractResult> {
  checkThreshold(options.threshold, 'NDVI threshold');
  checkThreshold(options.waterThreshold, 'water threshold');
  const minLengthM = options.minLengthM ?? 200;
  if (typeof minLengthM !== 'number' || !(minLengthM >= 0)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `minimum length must be 0 or more metres, got ${String(minLengthM)}`,
    );
  }
  const maxPixels = options.maxPixels ?? DEFAULT_VEGETATION_MAX_PIXELS;
  const source = await openSceneSource(input, {
    ...(options.bands ? { bands: options.bands } : {}),
    ...(options.date ? { date: options.date } : {}),
    ...(options.mask !== undefined ? { mask: options.mask } : {}),
  });
  try {
    const info = source.info;
    requireBands(
      info,
      VEGETATION_BANDS,
      'the vegetation-edge shoreline proxy (NDVI, with an MNDWI sea mask)',
    );
    const { width, height } = info;
    if (width * height > maxPixels) {
      throw new TidemarkError(
        'TOO_LARGE',
        `the vegetation proxy reads a scene whole and accepts up to ${maxPixels} pixels; ` +
          `${info.fileName} has ${width}×${height}`,
        { details: { width, height, maxPixels } },
      );
    }
    const bands = await source.readWindow({ x0: 0, y0: 0, x1: width, y1: height }, VEGETATION_BANDS, signal);
    const water = mndwi(bands.green!, bands.swir16!);
    let waterThreshold: number;
    if (typeof options.waterThreshold === 'number') waterThreshold = options.waterThreshold;
    else {
      const otsu = otsuThreshold(histogramOf(water, -1, 1));
      if (!otsu)
        throw new TidemarkError('NO_SHORELINE', `${info.fileName}: MNDWI shows a single class: no sea`);
      waterThreshold = otsu.threshold;
    }
    const seaMask = seaWaterMask({
      width,
      height,
      waterIndex: water,
      threshold: waterThreshold,
      pixelAreaM2: groundPixelAreaM2(info),
    });
    if (seaMask.indexOf(1) === -1) {
      throw new TidemarkError(
        'NO_SHORELINE',
        `${info.fileName}: no open sea (is it clouded over, or an inland scene?), so no seaward vegetation edge`,
      );
    }
    const edge = vegetationEdge({
      width,
      height,
      red: bands.red!,
      nir: bands.nir!,
      seaMask,
      threshold: options.threshold ?? 'otsu',
    });
    const toLonLat = toWgs84(info.proj4);
    const mirrors = geoTransformMirrors(info.geoTransform);
    const features: Feature<LineString, VegetationShorelineProperties>[] = [];
    for (const line of edge.lines) {
      const crs = pixelLineToCrs(info.geoTransform, smoothLine(line.coords, line.closed, SMOOTHING_PASSES));
      const lonLat = reprojectLine(crs, toLonLat);
      const lengthM = geodesicLengthM(lonLat);
      if (lengthM < minLengthM) continue;
      // As for the waterline: pixel space keeps the bare/water side on the left (y down); make it the right.
      if (!mirrors) lonLat.reverse();
      features.push({
        type: 'Feature',
        properties: {
          date: info.date,
          proxy: 'vegetation',
          index: 'ndvi',
          threshold: edge.threshold,
          water_threshold: waterThreshold,
          scene: info.fileName,
          epsg: info.epsg,
          length_m: Math.round(lengthM * 100) / 100,
        },
        geometry: { type: 'LineString', coordinates: lonLat },
      });
    }
    return {
      shorelines: { type: 'FeatureCollection', features },
      scene: info,
      threshold: edge.threshold,
      waterThreshold,
    };
  } finally {
    await source.close();
  }
}
