import { TidemarkError } from '../common/errors.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import type { BandKey, SceneSource } from './scene-source.ts';
import { openStacSource } from './stac-source.ts';

export interface OpenSceneOptions {
  /** Explicit band numbers of a single GeoTIFF (`--bands`). */
  bands?: Partial<Record<BandKey, number>>;
  date?: string;
  maxPixels?: number;
}

/** Whether `input` names a STAC Item (JSON) rather than a GeoTIFF. */
export function isStacItem(input: string): boolean {
  return /\.json$/i.test(input);
}

/** Opens a scene from a GeoTIFF path or a STAC Item JSON path, behind the one SceneSource interface. */
export async function openSceneSource(input: string, options: OpenSceneOptions = {}): Promise<SceneSource> {
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
