import type { Feature, FeatureCollection, LineString, MultiLineString } from 'geojson';
import { TidemarkError } from '../common/errors.ts';
import type { SceneInfo } from '../sources/scene-source.ts';
import type { ContourWindowOutput } from './contour-window.ts';
import { crsToPixelCentre, geoTransformMirrors, pixelLineToCrs } from './geotransform.ts';
import { groundPixelAreaM2 } from './ground-pixel-area.ts';
import { geodesicLengthM } from './line-length.ts';
import type { SegmentSet } from './marching-squares.ts';
import { keepNearReference } from './reference-filter.ts';
import { fromWgs84, geojsonLines, reprojectLine, toWgs84 } from './reproject-lines.ts';
import { describeNoSea, selectSea } from './sea-mask.ts';
import type { Line } from './segment-index.ts';
import { smoothLine } from './smooth-line.ts';
import { stitchSegments } from './stitch-segments.ts';
import type { WaterIndexName } from './water-index.ts';
import { type WindowGrid, windowAt } from './window-grid.ts';

/** A type alias (not an interface) so it is assignable to Record<string, unknown>. */
export type ShorelineProperties = {
  /** Acquisition date (ISO 8601), or null when neither --date nor the metadata give one. */
  date: string | null;
  index: WaterIndexName;
  /** Index threshold separating water from land. */
  threshold: number;
  /** Scene file name. */
  scene: string;
  /** EPSG code of the source CRS (null when the CRS has none). */
  epsg: number | null;
  length_m: number;
};

export type ShorelineFeature = Feature<LineString | MultiLineString, ShorelineProperties>;
export type ShorelineCollection = FeatureCollection<LineString | MultiLineString, ShorelineProperties>;

/** Binomial smoothing passes over each stitched line (see smooth-line.ts). */
const SMOOTHING_PASSES = 2;

/*
 * What pass 2 of an extraction adds up to on the main thread: water bodies joined across windows, the sea
 * chosen, its boundary segments stitched, smoothed, measured and projected to EPSG:4326.
 */

export function keepSea(
  result: Pick<ContourWindowOutput, 'segments'>,
  isSea: (label: number) => boolean,
): SegmentSet {
  const { segments } = result;
  const keep = new Int32Array(segments.count);
  let count = 0;
  for (let i = 0; i < segments.count; i++) if (isSea(segments.tags[i]!)) keep[count++] = i;
  const coords = new Float64Array(4 * count);
  const edges = new Float64Array(2 * count);
  const tags = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const s = keep[k]!;
    for (let c = 0; c < 4; c++) coords[4 * k + c] = segments.coords[4 * s + c]!;
    edges[2 * k] = segments.edges[2 * s]!;
    edges[2 * k + 1] = segments.edges[2 * s + 1]!;
    tags[k] = segments.tags[s]!;
  }
  return { count, coords, edges, tags };
}

export function assembleShorelines(
  info: SceneInfo,
  grid: WindowGrid,
  contours: readonly ContourWindowOutput[],
  index: WaterIndexName,
  threshold: number,
  minLengthM: number,
  reference: { lines: Line[]; bufferPx: number } | null,
): ShorelineCollection {
  const sea = selectSea(
    grid,
    contours.map((c, w) => ({ window: windowAt(grid, w), ...c })),
    // With a reference, it picks the coast among all open water (a lake can look like the sea).
    { pixelAreaM2: groundPixelAreaM2(info), everyOpenBody: reference !== null },
  );
  if (sea.seaComponentCount === 0) {
    throw new TidemarkError(
      'NO_SHORELINE',
      `${info.fileName} shows no sea (is it clouded over, or an inland scene?): ${describeNoSea(sea)}`,
    );
  }
  const kept = contours.map((c, w) => keepSea(c, (label) => sea.isSea(w, label)));
  const lines = stitchSegments(
    reference ? kept.map((k) => keepNearReference(k, reference.lines, reference.bufferPx)) : kept,
  );
  if (reference && lines.length === 0) {
    throw new TidemarkError(
      'NO_SHORELINE',
      `${info.fileName}: no shoreline within the buffer around the reference`,
    );
  }
  const mirrored = geoTransformMirrors(info.geoTransform);
  const toLonLat = toWgs84(info.proj4);
  const features: ShorelineFeature[] = [];
  for (const line of lines) {
    const pts = smoothLine(line.coords, line.closed, SMOOTHING_PASSES);
    const crs = pixelLineToCrs(info.geoTransform, pts);
    // Pixel space keeps water on the left of the walking direction (y down); make it the right in map space.
    const lonLat = reprojectLine(mirrored ? crs : reversePairs(crs), toLonLat);
    const lengthM = geodesicLengthM(lonLat);
    if (lengthM < minLengthM) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: lonLat },
      properties: {
        date: info.date,
        index,
        threshold: Math.round(threshold * 1e6) / 1e6,
        scene: info.fileName,
        epsg: info.epsg,
        length_m: Math.round(lengthM * 10) / 10,
      },
    });
  }
  if (features.length === 0) {
    throw new TidemarkError(
      'NO_SHORELINE',
      `${info.fileName}: no shoreline at least ${minLengthM} m long (found ${lines.length} shorter piece${lines.length === 1 ? '' : 's'}); lower --min-length to keep them`,
    );
  }
  return { type: 'FeatureCollection', features };
}

/** The reference lines in pixel-centre coordinates, and the buffer in pixels. */
export function referenceInPixels(
  info: SceneInfo,
  ref: { geojson: unknown; bufferM: number },
): { lines: Line[]; bufferPx: number } {
  if (!(Number.isFinite(ref.bufferM) && ref.bufferM > 0)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `reference buffer must be a number of metres > 0, got ${ref.bufferM}`,
    );
  }
  let lonLat: [number, number][][];
  try {
    lonLat = geojsonLines(ref.geojson);
  } catch (err) {
    throw new TidemarkError('INVALID_INPUT', `reference shoreline is malformed: ${(err as Error).message}`);
  }
  if (lonLat.length === 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      'reference has no lines or polygons (GeoJSON in EPSG:4326 expected)',
    );
  }
  const toCrs = fromWgs84(info.proj4);
  const pixelM =
    info.crsUnits === 'degree'
      ? Math.abs(info.geoTransform[1]) * 111_320 * Math.cos((lonLat[0]![0]![1] * Math.PI) / 180)
      : Math.abs(info.geoTransform[1]) * info.metresPerUnit;
  const bufferPx = ref.bufferM / pixelM;
  // Only what comes within the buffer of the scene matters: a reference for a whole coast (or one in the
  // wrong place) would otherwise be indexed over an area far larger than the scene.
  const box = { x0: -bufferPx, y0: -bufferPx, x1: info.width + bufferPx, y1: info.height + bufferPx };
  const lines: Line[] = [];
  for (const l of lonLat) {
    const px = l.map(([lon, lat]) => crsToPixelCentre(info.geoTransform, ...toCrs(lon, lat)));
    for (let i = 1; i < px.length; i++) {
      const clipped = clipSegment(px[i - 1]!, px[i]!, box);
      if (clipped) lines.push(clipped);
    }
  }
  if (lines.length === 0) {
    throw new TidemarkError(
      'NO_SHORELINE',
      `${info.fileName}: the reference does not come within ${ref.bufferM} m of the scene (is it for another place?)`,
    );
  }
  return { lines, bufferPx };
}

/** The part of segment a–b inside the box (Liang–Barsky), or null when none is (or a coordinate is not finite). */
export function clipSegment(
  a: readonly [number, number],
  b: readonly [number, number],
  box: { x0: number; y0: number; x1: number; y1: number },
): [[number, number], [number, number]] | null {
  if (![a[0], a[1], b[0], b[1]].every(Number.isFinite)) return null;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, a[0] - box.x0],
    [dx, box.x1 - a[0]],
    [-dy, a[1] - box.y0],
    [dy, box.y1 - a[1]],
  ] as const) {
    if (p === 0) {
      if (q < 0) return null;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return null;
    }
  }
  return [
    [a[0] + t0 * dx, a[1] + t0 * dy],
    [a[0] + t1 * dx, a[1] + t1 * dy],
  ];
}

function reversePairs(coords: Float64Array): Float64Array {
  const out = new Float64Array(coords.length);
  const n = coords.length / 2;
  for (let i = 0; i < n; i++) {
    out[2 * i] = coords[2 * (n - 1 - i)]!;
    out[2 * i + 1] = coords[2 * (n - 1 - i) + 1]!;
  }
  return out;
}
