import type { ScratchArena } from '../common/scratch-arena.ts';
import type { SourceSnapshot } from './source-snapshot.ts';
/**
 * The one raster-access interface. Everything that reads pixels (a local GeoTIFF today; per-band files,
 * STAC items and http(s) COGs later) hides behind `SceneSource`, so the pipeline and the workers never
 * learn where pixels come from.
 */

/**
 * Bands the extractor uses, named after STAC `eo:bands` common names, plus two cloud masks used when
 * present: `scl`, a Sentinel-2 scene classification band (classes SCL_CLOUD_CLASSES masked), and `mask`,
 * any cloud-mask band (non-zero masked).
 */
export type BandKey = 'green' | 'red' | 'nir' | 'swir16' | 'swir22' | 'scl' | 'mask';

/** `red` is read only for the vegetation-edge proxy (NDVI). */
export const BAND_KEYS: readonly BandKey[] = ['green', 'red', 'nir', 'swir16', 'swir22', 'scl', 'mask'];

/** Rasters whose header declares more pixels are rejected before anything is allocated (`--max-pixels`). */
export const DEFAULT_MAX_PIXELS = 2e9;

/** Sentinel-2 SCL classes masked as cloud: cloud shadow, cloud medium and high probability, thin cirrus. */
export const SCL_CLOUD_CLASSES: readonly number[] = [3, 8, 9, 10];

/**
 * SCL_CLOUD_CLASSES as a lookup by class (the low byte of the SCL value): 1 where the class is cloud; NaN
 * classes (nodata) map to 0 through `& 0xff`.
 */
export const SCL_CLOUDY: Readonly<Uint8Array> = (() => {
  const table = new Uint8Array(256);
  for (const c of SCL_CLOUD_CLASSES) table[c] = 1;
  return table;
})();

/**
 * Whether a value read from a `mask` band masks its pixel: any non-zero value does. A value read as NaN is
 * the mask's own nodata (or NaN): it masks unless that nodata value is 0, since a mask written with
 * nodata 0 marks its clear pixels as nodata.
 */
export function cloudMasked(value: number, maskNodata: number | null): boolean {
  return Number.isNaN(value) ? maskNodata !== 0 : value !== 0;
}

/** GDAL order: [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight], for pixel corners. */
export type GeoTransform = [number, number, number, number, number, number];

export type BandOrigin = 'geotiff' | 'stac-item' | 'band-files';

export interface SceneInfo {
  /** Base name of the scene file, as recorded in each shoreline's `scene` property. */
  fileName: string;
  width: number;
  height: number;
  /** EPSG code of the source CRS, or null when the GeoKeys describe a CRS without one. */
  epsg: number | null;
  /** proj4 definition of the source CRS (always present: a scene without a CRS is rejected). */
  proj4: string;
  /** Whether CRS units are metres (projected) or degrees (geographic); decides how lengths are measured. */
  crsUnits: 'metre' | 'degree' | 'other';
  /** Metres per CRS unit for projected CRSs in feet and the like; 1 for metres, NaN for degrees. */
  metresPerUnit: number;
  geoTransform: GeoTransform;
  /** Acquisition date (ISO 8601 date or date-time), or null when neither flag nor metadata give one. */
  date: string | null;
  /** Band key → 1-based band number in the file (only the bands that could be mapped). */
  bandMap: Partial<Record<BandKey, number>>;
  /**
   * Band descriptions as stored in the file, one per band (empty string when missing); for a STAC Item or
   * band files, where each mapped band comes from, in `bandMap` order (asset key or file name).
   */
  bandDescriptions: string[];
  /**
   * What the bands were mapped from, which decides how a missing band can be mapped (requireBands): one
   * GeoTIFF (`--bands`, band descriptions), a STAC Item's assets, or one GeoTIFF per band. Absent: one GeoTIFF.
   */
  bandOrigin?: BandOrigin;
  /** Nodata value from the file, or null. */
  nodata: number | null;
  /**
   * Factor from the values `readWindow` returns to surface reflectance (0–1): 1 when the file's scale
   * metadata already gives reflectance, 1/10000 for Sentinel-2 digital numbers with BOA_QUANTIFICATION_VALUE,
   * null when unknown. Only indices that need true reflectance (AWEI) use it.
   */
  reflectanceScale: number | null;
  /** Native tile (or strip) size, so windows can be aligned to whole blocks. */
  blockWidth: number;
  blockHeight: number;
}

/** A rectangle in pixel coordinates: columns [x0, x1), rows [y0, y1). */
export interface PixelWindow {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface SceneSource {
  readonly info: SceneInfo;
  /**
   * Reads the given bands over a window as reflectance (scale/offset applied), row-major, with NaN wherever
   * the pixel is nodata, NaN or masked (including cloud classes of an `scl` band and non-zero values of a
   * `mask` band, when one is mapped and not itself requested). With an arena, the arrays live in its `read:*` slots (valid until the next read
   * through the same arena).
   */
  readWindow<B extends BandKey>(
    window: PixelWindow,
    bands: readonly B[],
    signal?: AbortSignal,
    arena?: ScratchArena,
  ): Promise<Record<B, Float32Array>>;
  /**
   * The source as plain data, to read its pixels in another thread without opening and parsing the scene
   * again (restoreSceneSource in source-snapshot.ts). Taken once; later calls return the same object.
   */
  snapshot(): SourceSnapshot;
  close(): Promise<void>;
}

export function windowWidth(w: PixelWindow): number {
  return w.x1 - w.x0;
}

export function windowHeight(w: PixelWindow): number {
  return w.y1 - w.y0;
}
