import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import { fileErrorText } from '../../common/file-error-text.ts';
import { checkOutputPaths, type InputFile, writeFileAtomic } from '../../common/write-file-atomic.ts';
import { WATER_INDEX_NAMES, type WaterIndexName } from '../../pipeline/water-index.ts';
import { DEFAULT_MIN_LENGTH_M, DEFAULT_PIXEL_CACHE_BYTES } from '../../services/extract-defaults.ts';
// Types only: the engine itself is loaded once the worker pool is starting (see the action).
import type { ExtractOptions, ExtractProgress, ExtractResult } from '../../services/extract-scene.ts';
import { parseBandsFlag } from '../../sources/band-mapping.ts';
import { isHttpUrl, localPath } from '../../sources/byte-reader.ts';
import { parseJsonText } from '../../sources/parse-json-text.ts';
import { parseDateFlag } from '../../sources/scene-date.ts';
import { DEFAULT_MAX_PIXELS } from '../../sources/scene-source.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';
import { withInterrupt } from '../with-interrupt.ts';

/** Options as commander hands them over: strings, validated by `parseExtractFlags`. */
export interface ExtractFlags {
  out?: string;
  bands?: string;
  /** A cloud-mask GeoTIFF on the scene's grid: non-zero masks the pixel. */
  mask?: string;
  date?: string;
  index?: string;
  threshold?: string;
  minLength?: string;
  maxPixels?: string;
  workers?: string;
  windowSize?: string;
  cacheMb?: string;
  progress?: boolean;
  reference?: string;
  referenceBuffer?: string;
  /** waterline (default) or vegetation (issue 7). */
  proxy?: string;
}

export type ShorelineProxyFlag = 'waterline' | 'vegetation';

/**
 * `--proxy waterline|vegetation`. The vegetation edge is read whole from the scene (no windows, no worker
 * pool), so the flags that steer the windowed waterline extractor are refused with it rather than ignored.
 */
export function parseProxyFlag(flags: ExtractFlags): ShorelineProxyFlag {
  const proxy = (flags.proxy ?? 'waterline').trim().toLowerCase();
  if (proxy !== 'waterline' && proxy !== 'vegetation') {
    throw invalid(`--proxy must be waterline or vegetation, got "${flags.proxy}"`);
  }
  if (proxy === 'vegetation') {
    const unsupported = (
      [
        ['--index', flags.index],
        ['--window-size', flags.windowSize],
        ['--workers', flags.workers],
        ['--cache-mb', flags.cacheMb],
        ['--reference', flags.reference],
      ] as const
    ).filter(([, value]) => value !== undefined);
    if (unsupported.length > 0) {
      throw invalid(`${unsupported.map(([flag]) => flag).join(', ')} cannot be used with --proxy vegetation`);
    }
  }
  return proxy;
}

const DEFAULT_REFERENCE_BUFFER_M = 500;

function invalid(message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', message);
}

function positiveNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw invalid(`${flag} must be a ${integer ? 'whole ' : ''}number > 0, got "${text}"`);
  }
  return value;
}

/** Turns the command's flags into extraction options; every bad value is an INVALID_INPUT naming the flag. */
export function parseExtractFlags(flags: ExtractFlags): {
  options: ExtractOptions;
  workers: number | undefined;
} {
  const options: ExtractOptions = {};
  if (flags.bands !== undefined) options.bands = parseBandsFlag(flags.bands);
  if (flags.mask !== undefined) options.mask = parseMaskFlag(flags.mask);
  if (flags.date !== undefined) options.date = parseDateFlag(flags.date);
  if (flags.index !== undefined) {
    const index = flags.index.trim().toLowerCase();
    if (!WATER_INDEX_NAMES.includes(index as WaterIndexName)) {
      throw invalid(`--index must be one of ${WATER_INDEX_NAMES.join(', ')}, got "${flags.index}"`);
    }
    options.index = index as WaterIndexName;
  }
  if (flags.threshold !== undefined) {
    const text = flags.threshold.trim().toLowerCase();
    if (text === 'otsu') options.threshold = 'otsu';
    else {
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) {
        throw invalid(`--threshold must be "otsu" or a number (e.g. 0 for MNDWI), got "${flags.threshold}"`);
      }
      options.threshold = value;
    }
  }
  if (flags.minLength !== undefined) {
    const value = Number(flags.minLength.trim());
    if (flags.minLength.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw invalid(`--min-length must be a number of metres ≥ 0, got "${flags.minLength}"`);
    }
    options.minLengthM = value;
  }
  if (flags.maxPixels !== undefined)
    options.maxPixels = positiveNumber('--max-pixels', flags.maxPixels, false);
  if (flags.windowSize !== undefined) {
    const size = positiveNumber('--window-size', flags.windowSize, true);
    if (size < 4) throw invalid(`--window-size must be at least 4 pixels, got ${size}`);
    options.windowSize = size;
  }
  if (flags.cacheMb !== undefined) {
    const mb = Number(flags.cacheMb.trim());
    if (flags.cacheMb.trim() === '' || !Number.isFinite(mb) || mb < 0) {
      throw invalid(`--cache-mb must be a number of megabytes ≥ 0, got "${flags.cacheMb}"`);
    }
    options.pixelCacheBytes = Math.round(mb * 1024 * 1024);
  }
  if (flags.reference !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.reference, 'utf8');
    } catch (err) {
      throw invalid(`--reference ${flags.reference}: cannot read it: ${fileErrorText(err)}`);
    }
    const geojson = parseJsonText(text, `--reference ${flags.reference}`);
    const bufferM =
      flags.referenceBuffer === undefined
        ? DEFAULT_REFERENCE_BUFFER_M
        : positiveNumber('--reference-buffer', flags.referenceBuffer, false);
    options.reference = { geojson, bufferM };
  } else if (flags.referenceBuffer !== undefined) {
    throw invalid('--reference-buffer needs --reference');
  }
  const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers);
  return { options, workers };
}

/**
 * `--mask`: a local path or file:// URL must name a readable file, checked before any work (an http(s) URL is
 * checked when the scene is opened). Its grid is checked against the scene's when the scene is opened.
 */
function parseMaskFlag(text: string): string {
  if (text.trim() === '') throw invalid('--mask needs a GeoTIFF file, e.g. --mask cloud.tif');
  if (isHttpUrl(text)) return text;
  try {
    const st = statSync(localPath(text));
    if (!st.isFile()) throw invalid(`--mask ${text}: not a regular file`);
  } catch (err) {
    if (err instanceof TidemarkError) throw err;
    throw invalid(`--mask ${text}: cannot read it: ${fileErrorText(err)}`);
  }
  return text;
}

/**
 * Worker threads per available core, at most. Each thread is a V8 isolate with its own heap and window
 * buffers: far more threads than cores only add start-up time and memory (1000 threads: 40 s, 7 GB).
 */
const MAX_WORKERS_PER_CORE = 4;

function parseWorkers(text: string): number {
  const workers = positiveNumber('--workers', text, true);
  const cores = availableParallelism();
  const max = MAX_WORKERS_PER_CORE * cores;
  if (workers > max) {
    throw invalid(
      `--workers must be at most ${max} (${MAX_WORKERS_PER_CORE} × the ${cores} available core${cores === 1 ? '' : 's'}), got ${workers}`,
    );
  }
  return workers;
}

/**
 * Checks --out before any work (see checkOutputPaths): among other things it must not be a scene file or the
 * --reference file. Only local files can clash: paths and file:// URLs (whose errors the sources report).
 */
function checkOutPath(
  out: string,
  scenes: readonly string[],
  reference: string | undefined,
  mask: string | undefined,
): void {
  const inputs: InputFile[] = [];
  const read = [
    ...scenes.map((path) => ({ what: 'the scene', path })),
    ...(mask !== undefined ? [{ what: '--mask', path: mask }] : []),
  ];
  for (const { what, path } of read) {
    if (isHttpUrl(path)) continue;
    try {
      inputs.push({ what, path: localPath(path) });
    } catch {
      // Not a location we read (another URL scheme, a bad file:// URL): the sources say so when they open it.
    }
  }
  if (reference !== undefined) inputs.push({ what: '--reference', path: reference });
  checkOutputPaths([{ flag: '--out', path: out }], inputs);
}

/**
 * A progress bar on a terminal; with --progress and no terminal, one plain line per finished window. The
 * bar's library is loaded only for a terminal: scripts and batch runs do not pay for it at start-up.
 */
async function progressReporter(
  plain: boolean,
): Promise<{ onProgress: (p: ExtractProgress) => void; stop: () => void }> {
  const label = (stage: ExtractProgress['stage']) =>
    stage === 'scan' ? 'pass 1/2 scan' : 'pass 2/2 contour';
  if (!process.stderr.isTTY) {
    if (!plain) return { onProgress: () => undefined, stop: () => undefined };
    return {
      onProgress: (p) => process.stderr.write(`${label(p.stage)}: ${p.done}/${p.total} windows\n`),
      stop: () => undefined,
    };
  }
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar({
    format: '{stage} [{bar}] {value}/{total} windows',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  let stage = '';
  return {
    onProgress: (p) => {
      if (p.stage !== stage) {
        if (stage) bar.stop();
        stage = p.stage;
        bar.start(p.total, p.done, { stage: label(p.stage).padEnd(16) });
      } else bar.update(p.done);
    },
    stop: () => {
      if (stage) bar.stop();
    },
  };
}

export function extractCommand(): Command {
  return new Command('extract')
    .description('Extract the sea shoreline of one scene as GeoJSON (no database)')
    .usage('[options] <scene.tif | item.json | band files...>')
    .argument(
      '<scene...>',
      'a multi-band GeoTIFF (e.g. Sentinel-2 B03/B08/B11, Landsat SR_B3/SR_B5/SR_B6), a STAC Item (.json), ' +
        'or one GeoTIFF per band; paths or http(s) URLs (COGs are read with range requests)',
    )
    .option('-o, --out <file>', 'write the GeoJSON here (atomically) instead of to stdout')
    .option(
      '--bands <map>',
      'band numbers (1-based) of one GeoTIFF, e.g. green=3,nir=8,swir16=11; scl=N adds a Sentinel-2 SCL cloud ' +
        'mask (classes 3, 8, 9, 10), mask=N a cloud-mask band (non-zero masked); default: from band descriptions',
    )
    .option(
      '--mask <file>',
      "a cloud-mask GeoTIFF on the scene's grid (same CRS and origin; pixels the same or a whole multiple): " +
        'non-zero masks the pixel, which then never makes shoreline',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'acquisition date; default: from the file metadata (ACQUISITION_DATE, TIFFTAG_DATETIME…)',
    )
    .option(
      '--index <name>',
      `water index: ${WATER_INDEX_NAMES.join(' | ')}; default mndwi when a SWIR band exists`,
    )
    .option(
      '--threshold <otsu|N>',
      'index threshold between water and land: otsu (default) or a number within the index range',
    )
    .option(
      '--min-length <m>',
      `drop shoreline pieces shorter than this many metres (default ${DEFAULT_MIN_LENGTH_M})`,
    )
    .option(
      '--max-pixels <n>',
      `reject rasters larger than this before reading (default ${DEFAULT_MAX_PIXELS.toExponential(0)})`,
    )
    .option('--workers <n>', `worker threads (default: ${availableParallelism()}, the available cores)`)
    .option('--window-size <px>', 'window edge in pixels (default: about 1024, aligned to the tiles)')
    .option(
      '--cache-mb <n>',
      `memory for windows kept between the two passes instead of read twice (default ${DEFAULT_PIXEL_CACHE_BYTES / 1024 / 1024}; 0: none)`,
    )
    .option(
      '--reference <geojson>',
      'a known shoreline or sea outline (EPSG:4326): keep only shoreline near it',
    )
    .option('--reference-buffer <m>', `how near, in metres (default ${DEFAULT_REFERENCE_BUFFER_M})`)
    .option('--progress', 'report progress on stderr even when it is not a terminal (a bar when it is)')
    .option(
      '--proxy <waterline|vegetation>',
      'shoreline proxy: the waterline (default) or the seaward vegetation edge from NDVI (needs a red band; ' +
        '--threshold is then an NDVI value)',
    )
    .addHelpText(
      'after',
      `
Output: a GeoJSON FeatureCollection (RFC 7946, EPSG:4326) of LineStrings with the sea on their right.
Each feature has the properties date (ISO 8601), index, threshold, scene, epsg (source CRS) and length_m.

Bands are mapped by, first that applies: --bands (one GeoTIFF only); the files' band descriptions
(Sentinel-2 B03/B08/B11, Landsat 8/9 SR_B3/SR_B5/SR_B6); for a STAC Item, its eo:bands (STAC 1.1: bands)
common names, then asset keys; for band files, band names in the file names (T48PVR_…_B11_20m.tif).
Scale/offset metadata is applied (GDAL SCALE/OFFSET, Sentinel-2 BOA_ADD_OFFSET, STAC raster:bands where
a file has none). Nodata, NaN, GDAL masks, an SCL band, a mask band or --mask and a STAC asset with role
"cloud" mask pixels: masked pixels never make shoreline.

Only the boundary of the open sea is kept: water of at least 25 ha reaching the scene edge or a masked
area. Ponds, lakes and canals enclosed by land are dropped, and so is a lake or river cut by one side of
the scene when the sea reaches two (a coast crossing the scene). A lake at a corner of the scene, or one
beside a sea entering through a single side, may be taken for sea: --reference then keeps the coast only.
Exit code 1 with "error: <reason>" on stderr for bad input (not a TIFF, truncated, no georeferencing,
missing band, too large, all nodata, no water, no land, no open sea: clouded or inland…); --out is then
left untouched.

Examples:
  tidemark extract scene.tif --out shoreline.geojson
  tidemark extract landsat.tif --bands green=3,nir=5,swir16=6 --date 2024-03-01 > shore.geojson
  tidemark extract item.json --out shoreline.geojson
  tidemark extract scene.tif --mask clouds.tif -o shore.geojson
  tidemark extract T48PVS_B03.tif T48PVS_B08.tif T48PVS_B11.tif --date 2024-03-01 -o shore.geojson`,
    )
    .action(async (scenes: string[], flags: ExtractFlags) => {
      const scene = scenes.length === 1 ? scenes[0]! : scenes;
      const proxy = parseProxyFlag(flags);
      const { options, workers } = parseExtractFlags(flags);
      const outPath = flags.out ?? null;
      if (outPath !== null) checkOutPath(outPath, scenes, flags.reference, flags.mask);
      if (proxy === 'vegetation') {
        const { extractVegetationEdge } = await import('../../services/extract-vegetation-edge.ts');
        const result = await withInterrupt((signal) =>
          extractVegetationEdge(
            scene,
            {
              ...(options.bands ? { bands: options.bands } : {}),
              ...(options.date ? { date: options.date } : {}),
              ...(options.mask !== undefined ? { mask: options.mask } : {}),
              ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
              ...(options.minLengthM !== undefined ? { minLengthM: options.minLengthM } : {}),
              ...(options.maxPixels !== undefined ? { maxPixels: options.maxPixels } : {}),
            },
            signal,
          ),
        );
        const features = result.shorelines.features;
        const km = features.reduce((sum, f) => sum + f.properties.length_m, 0) / 1000;
        const summary = `${result.scene.fileName}: ${features.length} vegetation edge${features.length === 1 ? '' : 's'}, ${km.toFixed(2)} km, NDVI threshold ${result.threshold.toFixed(4)}, date ${result.scene.date ?? 'unknown'}`;
        await emit(`${JSON.stringify(result.shorelines)}\n`, outPath, summary);
        return;
      }
      const progress = await progressReporter(flags.progress === true);
      // The workers start booting (and warming their kernels) first, while this thread still loads the
      // pipeline and reads the scene's header: on a small scene that is most of the run.
      const pool = createExtractPool(workers === undefined ? {} : { threads: workers });
      let result: ExtractResult;
      try {
        const { extractScene } = await import('../../services/extract-scene.ts');
        result = await withInterrupt((signal) =>
          extractScene(scene, options, { signal, onProgress: progress.onProgress, pool }),
        );
      } catch (err) {
        await pool.destroy();
        throw err;
      } finally {
        progress.stop();
      }
      // The worker threads wind down while the lines are serialized and written.
      const stopped = pool.destroy();
      try {
        const features = result.shorelines.features;
        const km = features.reduce((sum, f) => sum + f.properties.length_m, 0) / 1000;
        const summary = `${result.scene.fileName}: ${features.length} shoreline${features.length === 1 ? '' : 's'}, ${km.toFixed(2)} km, threshold ${result.threshold.toFixed(4)}, date ${result.scene.date ?? 'unknown'}`;
        await emit(`${JSON.stringify(result.shorelines)}\n`, outPath, summary);
      } finally {
        await stopped;
      }
    });
}

/** Writes the GeoJSON to --out (atomically, summary on stderr) or to stdout. */
async function emit(text: string, outPath: string | null, summary: string): Promise<void> {
  if (outPath) {
    // Signals are caught (not fatal) while writing, so Ctrl-C can never kill the process mid-write.
    await withInterrupt(async () => writeFileAtomic(outPath, text));
    process.stderr.write(`${summary} → ${resolve(outPath)}\n`);
  } else {
    await new Promise<void>((done, fail) => process.stdout.write(text, (err) => (err ? fail(err) : done())));
  }
}
