import { TidemarkError } from '../../common/errors.ts';
import type { GeoTransform } from '../../sources/scene-source.ts';
import { pixelLineToCrs } from '../geotransform.ts';
import { CLASS_INVALID, CLASS_LAND, CLASS_WATER, marchingSquares } from '../marching-squares.ts';
import { histogramOf, otsuThreshold } from '../otsu-threshold.ts';
import { type Polyline, stitchSegments } from '../stitch-segments.ts';
import { labelWaterComponents } from '../water-components.ts';
import { ndvi } from './ndvi.ts';

export interface VegetationEdgeInput {
  width: number;
  height: number;
  /** Red (S2 B04, Landsat SR_B4) and NIR reflectance (or DN: NDVI does not care about a common scale). */
  red: Float32Array;
  nir: Float32Array;
  /** 1 for each pixel of the scene's sea-connected water (see seaWaterMask), 0 elsewhere. */
  seaMask: Uint8Array;
  /** 'otsu' (default) or a fixed NDVI value in (−1, 1): vegetation is NDVI above it. */
  threshold?: number | 'otsu';
  /** When given, lines are also returned in the CRS of this geotransform. */
  geoTransform?: GeoTransform;
}

export interface VegetationEdgeOutput {
  /** The seaward vegetation edge, in scene pixel-centre coordinates; bare/water side on the left (y down), as the waterline's. */
  lines: Polyline[];
  /** The same lines in the CRS of `geoTransform` (empty without one). */
  linesCrs: Float64Array[];
  threshold: number;
  thresholdMethod: 'otsu' | 'fixed';
  /** Bare/water regions (NDVI at or below the threshold) in the scene, and how many face the sea. */
  openRegionCount: number;
  seaFacingRegionCount: number;
}

const NDVI_BINS = 2000;

/**
 * The seaward edge of vegetation (the mangrove shoreline proxy of Mekong-delta studies): NDVI, a
 * threshold (Otsu over the pixels that are not sea, so it splits canopy from mud and bare ground rather than
 * land from sea), a sub-pixel contour by the same marching squares and stitching as the waterline, and only
 * the edge of the bare/water regions that reach the sea. The regions are 8-connected areas of NDVI at or
 * below the threshold; one that holds a pixel of `seaMask` faces the sea. Ponds and clearings inside the
 * canopy are regions of their own that never reach the sea, so their outlines are never followed.
 *
 * Pure: the inputs are not changed. Throws NO_SHORELINE when NDVI has a single class (no vegetation edge).
 */
export function vegetationEdge(input: VegetationEdgeInput): VegetationEdgeOutput {
  const { width, height, red, nir, seaMask } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `a vegetation edge needs at least 2×2 pixels, got ${width}×${height}`,
    );
  }
  const n = width * height;
  if (red.length !== n || nir.length !== n || seaMask.length !== n) {
    throw new TidemarkError('INVALID_INPUT', 'red, nir and seaMask must each hold width × height values');
  }
  const index = ndvi(red, nir);
  const { threshold, method } = chooseThreshold(index, seaMask, input.threshold ?? 'otsu');

  // Bare ground and water are the "water" class of the contour kernels: their components are the regions.
  const classes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = index[i]!;
    classes[i] = Number.isNaN(v) ? CLASS_INVALID : v > threshold ? CLASS_LAND : CLASS_WATER;
  }
  const regions = labelWaterComponents(
    { width, height, classes },
    { originX: 0, originY: 0, sceneWidth: width, sceneHeight: height },
  );
  const seaFacing = new Uint8Array(regions.count + 1);
  for (let i = 0; i < n; i++) if (seaMask[i] === 1) seaFacing[regions.labels[i]!] = 1;
  seaFacing[0] = 0;
  const skipLabel = new Uint8Array(regions.count + 1);
  let seaFacingRegionCount = 0;
  for (let label = 1; label <= regions.count; label++) {
    if (seaFacing[label]) seaFacingRegionCount++;
    else skipLabel[label] = 1;
  }
  const segments = marchingSquares(
    {
      width,
      height,
      classes,
      // > 0 on bare/water pixels, < 0 on vegetation: the contour sits where NDVI crosses the threshold.
      field: { fieldAt: (i) => threshold - index[i]! },
      labels: regions.labels,
      skipLabel,
      originX: 0,
      originY: 0,
    },
    { x0: 0, y0: 0, x1: width - 1, y1: height - 1 },
    width,
  );
  const lines = stitchSegments([segments]);
  const gt = input.geoTransform;
  return {
    lines,
    linesCrs: gt ? lines.map((l) => pixelLineToCrs(gt, l.coords)) : [],
    threshold,
    thresholdMethod: method,
    openRegionCount: regions.count,
    seaFacingRegionCount,
  };
}

function chooseThreshold(
  index: Float32Array,
  seaMask: Uint8Array,
  requested: number | 'otsu',
): { threshold: number; method: 'otsu' | 'fixed' } {
  if (requested !== 'otsu') {
    if (typeof requested !== 'number' || !(requested > -1 && requested < 1)) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `NDVI threshold must be 'otsu' or a number in (−1, 1), got ${String(requested)}`,
      );
    }
    return { threshold: requested, method: 'fixed' };
  }
  // The sea would dominate a whole-scene histogram and Otsu would split land from sea; the question here is
  // canopy versus mud and bare ground, so only what is not sea counts.
  const landOnly = new Float32Array(index.length);
  for (let i = 0; i < index.length; i++) landOnly[i] = seaMask[i] === 1 ? Number.NaN : index[i]!;
  const otsu = otsuThreshold(histogramOf(landOnly, -1, 1, NDVI_BINS));
  if (!otsu || otsu.lowerCount === 0 || otsu.upperCount === 0) {
    throw new TidemarkError('NO_SHORELINE', 'NDVI shows a single class: no vegetation edge to follow');
  }
  return { threshold: otsu.threshold, method: 'otsu' };
}
