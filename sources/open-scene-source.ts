import { TidemarkError } from '../common/errors.ts';
import { openBandFilesSource, openMaskedGeoTiffSource } from './band-files-source.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import type { BandKey, SceneSource } from './scene-source.ts';
import { openStacSource } from './stac-source.ts';

export interface OpenSceneOptions {
  /** Explicit band numbers of a single GeoTIFF (`--bands`), `mask=N` for a cloud-mask band among them. */
  bands?: Partial<Record<BandKey, number>>;
  date?: string;
  maxPixels?: number;
  /**
   * A cloud-mask GeoTIFF on the scene's grid (`--mask`; pixels an integer multiple of the scene's, aligned,
   * are read by nearest neighbour): its first band, non-zero masks the pixel.
   */
  mask?: string;
}

/** Whether `input` names a STAC Item (JSON) rather than a GeoTIFF. */
export function isStacItem(input: string): boolean {
  return /\.json(\?.*)?$/i.test(input);
}

/** Whether the scene maps its own bands (a STAC Item or one file per band), so --bands does not apply. */
export function mapsOwnBands(input: SceneInput): boolean {
  return typeof input === 'string' ? isStacItem(input) : input.length > 1;
}

/**
 * Where a scene is: one GeoTIFF or STAC Item (path or http(s) URL), or several GeoTIFFs, one per band.
 */
export type SceneInput = string | readonly string[];

/**
 * Opens a scene behind the one SceneSource interface: a GeoTIFF, a STAC Item, or one GeoTIFF per band,
 * each optionally with a cloud-mask file. Bands are mapped by, first that applies: `--bands` (one GeoTIFF
 * only), the files' band descriptions, then (a STAC Item) eo:bands common names and asset keys, or (band
 * files) band names in the file names.
 */
export async function openSceneSource(
  input: SceneInput,
  options: OpenSceneOptions = {},
): Promise<SceneSource> {
  const scene = {
    ...(options.date !== undefined ? { date: options.date } : {}),
    ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
  };
  const common = { ...scene, ...(options.mask !== undefined ? { mask: options.mask } : {}) };
  const bands = options.bands && Object.keys(options.bands).length > 0 ? options.bands : undefined;
  if (typeof input !== 'string') {
    if (input.length === 1) return openSceneSource(input[0]!, options);
    if (input.length === 0) throw new TidemarkError('INVALID_INPUT', 'no scene given');
    if (bands) {
      throw new TidemarkError(
        'INVALID_INPUT',
        '--bands maps the bands of one GeoTIFF; with one file per band, name each file after its band ' +
          '(…_B03.tif) or set its band description, and give a cloud mask with --mask',
      );
    }
    return openBandFilesSource(input, common);
  }
  if (!isStacItem(input)) {
    const geotiff = { ...scene, ...(bands ? { bands } : {}) };
    return options.mask === undefined
      ? openGeoTiffSource(input, geotiff)
      : openMaskedGeoTiffSource(input, options.mask, geotiff);
  }
  if (bands) {
    throw new TidemarkError(
      'INVALID_INPUT',
      '--bands maps the bands of one GeoTIFF; a STAC Item maps them through its assets (eo:bands common ' +
        'names or asset keys), and a cloud mask is an asset with role "cloud" or --mask',
    );
  }
  return openStacSource(input, common);
}
