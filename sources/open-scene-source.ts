import { TidemarkError } from '../common/errors.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import type { BandKey, SceneSource } from './scene-source.ts';
import { openBandFilesSource, openStacSource } from './stac-source.ts';

export interface OpenSceneOptions {
  /** Explicit band numbers of a single GeoTIFF (`--bands`). */
  bands?: Partial<Record<BandKey, number>>;
  date?: string;
  maxPixels?: number;
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

/** Opens a scene behind the one SceneSource interface: a GeoTIFF, a STAC Item, or one GeoTIFF per band. */
export async function openSceneSource(
  input: SceneInput,
  options: OpenSceneOptions = {},
): Promise<SceneSource> {
  if (typeof input !== 'string') {
    if (input.length === 1) return openSceneSource(input[0]!, options);
    if (input.length === 0) throw new TidemarkError('INVALID_INPUT', 'no scene given');
    if (options.bands && Object.keys(options.bands).length > 0) {
      throw new TidemarkError(
        'INVALID_INPUT',
        '--bands maps the bands of one GeoTIFF; with one file per band, name or describe the files',
      );
    }
    return openBandFilesSource(input, {
      ...(options.date !== undefined ? { date: options.date } : {}),
      ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
    });
  }
  if (!isStacItem(input)) return openGeoTiffSource(input, options);
  if (options.bands && Object.keys(options.bands).length > 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      '--bands maps the bands of one GeoTIFF; a STAC Item maps them through its assets (eo:bands common names or asset keys)',
    );
  }
  return openStacSource(input, {
    ...(options.date !== undefined ? { date: options.date } : {}),
    ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
  });
}
