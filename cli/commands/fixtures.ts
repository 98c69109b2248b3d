import { join, relative } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { generateSeries, SERIES_MANIFEST, type SeriesSpec } from '../../fixtures/generate-series.ts';
import { withInterrupt } from '../with-interrupt.ts';

/** Options as commander hands them over, after the per-option parsers below. */
export interface FixturesCliOptions {
  size: number;
  years: { firstYear: number; lastYear: number };
  noise: number;
  seed: number;
  /** undefined when neither --ponds nor --no-ponds is given: ponds are on by default. */
  ponds?: boolean;
  out?: string;
  /** Scene height when it differs from --size. */
  height?: number;
  /** Opt-in mudflat (issue 7): a tide per scene over a sloping flat seaward of the mangrove. */
  mudflat?: boolean;
  tideRange?: number;
  slope?: number;
}

/** Scenes up to this size go to the committed folder by default; larger ones to the git-ignored one. */
const COMMITTED_MAX_SIZE_PX = 512;

export function parseSize(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`expected a whole number of pixels, got '${value}'`);
  const size = Number(value);
  if (size < 64 || size > 65536)
    throw new InvalidArgumentError(`size must be between 64 and 65536 pixels, got ${size}`);
  return size;
}

export function parseYears(value: string): { firstYear: number; lastYear: number } {
  const match = /^(\d{4})(?:-(\d{4}))?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`expected YYYY or YYYY-YYYY, got '${value}'`);
  const firstYear = Number(match[1]);
  const lastYear = Number(match[2] ?? match[1]);
  if (lastYear < firstYear) throw new InvalidArgumentError(`the range ${value} ends before it starts`);
  if (firstYear < 1984 || lastYear > 2100)
    throw new InvalidArgumentError(`years must lie in 1984–2100, got ${value}`);
  return { firstYear, lastYear };
}

export function parseNoise(value: string): number {
  const noise = Number(value);
  if (value.trim() === '' || !Number.isFinite(noise))
    throw new InvalidArgumentError(`expected a number, got '${value}'`);
  if (noise < 0 || noise > 0.5) {
    throw new InvalidArgumentError(`noise is a fraction in [0, 0.5] (0.03 = 3 %), got ${value}`);
  }
  return noise;
}

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`expected a non-negative integer, got '${value}'`);
  const seed = Number(value);
  if (seed > 2 ** 32 - 1) throw new InvalidArgumentError(`seed must be below 2^32, got ${value}`);
  return seed;
}

function parsePositive(what: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
      throw new InvalidArgumentError(`${what} must be a number in (0, ${max}], got '${value}'`);
    }
    return n;
  };
}

export const parseTideRange = parsePositive('tide range (metres)', 15);
export const parseSlope = parsePositive('mudflat slope tanβ', 0.5);

export function defaultOutDir(sizePx: number): string {
  return sizePx <= COMMITTED_MAX_SIZE_PX ? 'fixtures/scenes' : join('fixtures', 'large', `size-${sizePx}`);
}

export function toSeriesSpec(opts: FixturesCliOptions): SeriesSpec {
  if (!opts.mudflat && (opts.tideRange !== undefined || opts.slope !== undefined)) {
    throw new InvalidArgumentError('--tide-range and --slope need --mudflat');
  }
  return {
    ...(opts.height === undefined ? {} : { heightPx: opts.height }),
    ...(opts.mudflat ? { mudflat: { tideRangeM: opts.tideRange ?? 3, slope: opts.slope ?? 0.001 } } : {}),
    sizePx: opts.size,
    firstYear: opts.years.firstYear,
    lastYear: opts.years.lastYear,
    noise: opts.noise,
    seed: opts.seed,
    ponds: opts.ponds ?? true,
    outDir: opts.out ?? defaultOutDir(opts.size),
  };
}

export function fixturesCommand(): Command {
  return new Command('fixtures')
    .description(
      'Generate a deterministic yearly series of Ca Mau-like Sentinel-2 L2A scenes (B03/B08/B11, EPSG:32648, ' +
        '10 m) with their exact shorelines and true rates',
    )
    .option('--size <px>', 'scene width and height in 10 m pixels', parseSize, 512)
    .addOption(
      new Option('--years <range>', 'years of the series, YYYY-YYYY (one scene per year)')
        .argParser(parseYears)
        .default({ firstYear: 2016, lastYear: 2025 }, '2016-2025'),
    )
    .option('--noise <sigma>', 'relative Gaussian noise (0.03 = 3 %)', parseNoise, 0.03)
    .option(
      '--seed <n>',
      'seed of everything random (coast shape, ponds, dates, tide, texture, noise)',
      parseSeed,
      42,
    )
    .option('--ponds', 'include inland aquaculture ponds (default)')
    .option('--no-ponds', 'leave out the ponds')
    .option('--height <px>', 'scene height in 10 m pixels (default: --size)', parseSize)
    .option(
      '--mudflat',
      'mud coast: a tidal flat seaward of the mangrove, a tide per scene (TIDE_HEIGHT_M), red band B04, ' +
        'clearings in the mangrove, and a vegetation-edge truth per scene',
    )
    .option('--tide-range <m>', 'with --mudflat: tide range in metres (default 3)', parseTideRange)
    .option('--slope <tanβ>', 'with --mudflat: slope of the flat (default 0.001)', parseSlope)
    .option(
      '--out <dir>',
      `output directory (default: fixtures/scenes up to ${COMMITTED_MAX_SIZE_PX} px, else fixtures/large/size-<px>)`,
    )
    .addHelpText(
      'after',
      '\nWrites per year ca-mau-<year>.tif and ca-mau-<year>.truth.geojson, then truth-rates.json and series.json\n' +
        '(sha256 of every file and the command that regenerates them byte for byte). Files are written to a temp\n' +
        'file and renamed, so an interrupted run leaves no partial scene. A 8192 px scene takes about half a\n' +
        'minute and little memory.\n\n' +
        'Example: npm run fixtures -- --size 1024 --years 2016-2025 --noise 0.06 --seed 7 --out /tmp/noisy',
    )
    .action(async (opts: FixturesCliOptions) => {
      const spec = toSeriesSpec(opts);
      const manifest = await withInterrupt((signal) =>
        generateSeries(spec, {
          signal,
          onProgress: (p) =>
            process.stderr.write(
              `[${p.done}/${p.total}] ${p.file}: ${(p.bytes / 1e6).toFixed(1)} MB in ${p.seconds.toFixed(1)} s\n`,
            ),
        }),
      );
      const where = relative(process.cwd(), spec.outDir) || '.';
      process.stdout.write(
        `${manifest.scenes.length} scenes (${spec.sizePx}×${spec.heightPx ?? spec.sizePx} px, noise ${spec.noise}, seed ${spec.seed}) ` +
          `written to ${where}; manifest ${join(where, SERIES_MANIFEST)}\n`,
      );
    });
}
