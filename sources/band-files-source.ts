import { basename } from 'node:path';
import { TidemarkError } from '../common/errors.ts';
import { bandKeyFromFileName } from './band-mapping.ts';
import { isHttpUrl, localPath } from './byte-reader.ts';
import {
  CompositeSource,
  closeAll,
  compositeSource,
  gridFactor,
  openCloudMask,
  type Part,
} from './composite-source.ts';
import { type OpenGeoTiffOptions, openGeoTiffSource } from './geotiff-source.ts';
import { type BandKey, DEFAULT_MAX_PIXELS, type SceneSource } from './scene-source.ts';

export interface OpenBandFilesOptions {
  date?: string;
  maxPixels?: number;
  /** A cloud-mask GeoTIFF on the scene's grid (`--mask`): non-zero masks the pixel. */
  mask?: string;
}

function nameOf(location: string): string {
  return isHttpUrl(location) ? basename(new URL(location).pathname) : basename(localPath(location));
}

/** One GeoTIFF read with a cloud-mask GeoTIFF on its grid (`--mask`): bands and metadata are the GeoTIFF's. */
export async function openMaskedGeoTiffSource(
  location: string,
  mask: string,
  options: OpenGeoTiffOptions = {},
): Promise<SceneSource> {
  const scene = await openGeoTiffSource(location, options);
  try {
    const maskPart = await openCloudMask(mask, `--mask ${nameOf(mask)}`, {
      maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
    });
    try {
      maskPart.factor = gridFactor(scene.info.fileName, maskPart.what!, scene.info, maskPart.source.info);
    } catch (err) {
      await maskPart.source.close();
      throw err;
    }
    const keys = (Object.keys(scene.info.bandMap) as BandKey[]).filter((k) => k !== 'mask');
    const parts = new Map(keys.map((k): [BandKey, Part] => [k, { source: scene, band: k, factor: 1 }]));
    // A mask band of the GeoTIFF itself (--bands mask=N) masks too.
    const masks: Part[] =
      scene.info.bandMap.mask !== undefined ? [{ source: scene, band: 'mask', factor: 1 }] : [];
    return new CompositeSource({ ...scene.info }, parts, [...masks, maskPart]);
  } catch (err) {
    await scene.close();
    throw err;
  }
}

/**
 * One GeoTIFF per band (e.g. B03.tif B08.tif B11.tif): each file's bands are mapped by their descriptions
 * (or, for a single-band file without one, by a band name anywhere in the file name:
 * `T48PVR_20240101T031111_B11_20m.tif`, `…_SR_B6.TIF`), first file first. Every file must add a band the
 * earlier ones do not map, and files dated by their metadata must share one date: otherwise they are more
 * likely several scenes than one scene's bands, and merging them would silently drop all but the first.
 */
export async function openBandFilesSource(
  paths: readonly string[],
  options: OpenBandFilesOptions = {},
): Promise<SceneSource> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const parts = new Map<BandKey, Part>();
  const masks: Part[] = [];
  const labels = new Map<BandKey, string>();
  const names = paths.map(nameOf);
  const unmapped: string[] = [];
  let dated: { name: string; date: string } | null = null;
  try {
    for (const [k, path] of paths.entries()) {
      const name = names[k]!;
      const probe = await openGeoTiffSource(path, { maxPixels });
      let bandMap = probe.info.bandMap;
      const date = probe.info.date;
      if (Object.keys(bandMap).length === 0 && probe.info.bandDescriptions.length === 1) {
        // A single band named by its file.
        const key = bandKeyFromFileName(name);
        if (key) bandMap = { [key]: 1 };
      }
      await probe.close();
      const mapped = Object.keys(bandMap) as BandKey[];
      if (mapped.length === 0) {
        unmapped.push(name);
        continue;
      }
      const added = mapped.filter((band) => !parts.has(band));
      if (added.length === 0) throw repeatedBands(name, mapped, labels);
      if (date !== null) {
        if (dated && dated.date.slice(0, 10) !== date.slice(0, 10)) {
          throw new TidemarkError(
            'INVALID_INPUT',
            `${name} was acquired on ${date}, but ${dated.name} on ${dated.date}: the files of one scene ` +
              `share one acquisition date. Each scene needs its own \`tidemark extract\` run (or use ` +
              `\`tidemark ingest\` for several scenes)`,
            { details: { files: [dated.name, name], dates: [dated.date, date] } },
          );
        }
        dated ??= { name, date };
      }
      // Opened again with its bands mapped explicitly: a band named by its file then finds its Sentinel-2
      // BOA_ADD_OFFSET too (boaAddOffset).
      const source = await openGeoTiffSource(path, {
        maxPixels,
        bands: Object.fromEntries(added.map((band) => [band, bandMap[band]!])),
      });
      for (const band of added) {
        parts.set(band, { source, band, factor: 1, what: `${name} (${band})` });
        labels.set(band, name);
      }
    }
    if (parts.size === 0) {
      throw new TidemarkError(
        'MISSING_BAND',
        `none of ${names.join(', ')} is a known band: set band descriptions (B03, B08, B11…) or name the ` +
          'files after them (…_B03.tif, …_SR_B3.TIF)',
      );
    }
    if (unmapped.length > 0) {
      const one = unmapped.length === 1;
      throw new TidemarkError(
        'MISSING_BAND',
        `${unmapped.join(', ')}: no known band: set ${one ? 'its band description' : 'their band descriptions'} ` +
          `(B03, B08, B11…) or name ${one ? 'the file after its band' : 'the files after their bands'}`,
      );
    }
    if (options.mask !== undefined) {
      masks.push(await openCloudMask(options.mask, `--mask ${nameOf(options.mask)}`, { maxPixels }));
    }
    return compositeSource(names.join('+'), parts, masks, labels, 'band-files', options.date, null);
  } catch (err) {
    await closeAll([...parts.values(), ...masks]);
    throw err;
  }
}

/** The error for a band file that only repeats bands already mapped from earlier files. */
function repeatedBands(name: string, bands: readonly BandKey[], labels: Map<BandKey, string>): TidemarkError {
  const from = [...new Set(bands.map((band) => labels.get(band)!))];
  return new TidemarkError(
    'INVALID_INPUT',
    `${name} adds no band: ${bands.join(', ')} ${bands.length === 1 ? 'is' : 'are'} already mapped from ` +
      `${from.join(', ')}. Several files are read as one scene, one file per band; each scene needs its own ` +
      '`tidemark extract` run (or use `tidemark ingest` for several scenes)',
    { details: { file: name, bands } },
  );
}
