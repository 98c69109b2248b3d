import { Command, InvalidArgumentError, Option } from 'commander';
import { createLogger } from '../../common/logger.ts';
import { MIN_FORECAST_SHORELINES } from '../../pipeline/dsas/kalman-forecast.ts';
import { regressionShortfall } from '../../pipeline/dsas/linear-regression.ts';
import {
  type AnalyzeOptions,
  type AnalyzeSummary,
  analyzeSite,
  type TideAnalysisOptions,
} from '../../services/analyze-site.ts';
import { openDatabase } from '../../store/db.ts';
import { readJsonFile } from '../read-json-file.ts';
import { withInterrupt } from '../with-interrupt.ts';
import { parseSlug } from './site.ts';

/** Options as commander hands them over, after the per-option parsers below. */
export interface AnalyzeCliOptions {
  site: string;
  spacing: number;
  length: number;
  /** Percent. */
  confidence: number;
  uncertainty: number;
  intersection: 'seaward' | 'landward';
  baseline?: string;
  baselineOffset: number;
  smoothing: number;
  /** Issue 7: which shorelines, and the tide correction or filter. */
  proxy?: 'waterline' | 'vegetation';
  tideCorrect?: boolean;
  tideSlope?: number;
  zRef?: number;
  tideFilter?: number;
}

export function analyzeCommand(): Command {
  return new Command('analyze')
    .description(
      'Change analysis of a stored site: transects, DSAS statistics, change polygons, forecasts and hazard zones',
    )
    .requiredOption('--site <slug>', 'site to analyse (see `tidemark site list`)', parseSlug)
    .option('--spacing <m>', 'distance between transects along the baseline, metres', positiveMetres, 50)
    .option('--length <m>', 'transect length, metres', positiveMetres, 2000)
    .option('--confidence <percent>', 'confidence level of LCI/WCI, percent', confidencePercent, 90)
    .option(
      '--uncertainty <m>',
      'shoreline uncertainty U where a shoreline has none stored, metres',
      positiveMetres,
      10,
    )
    .addOption(
      new Option('--intersection <rule>', 'crossing that counts when a transect crosses a shoreline twice')
        .choices(['seaward', 'landward'])
        .default('seaward'),
    )
    .option(
      '--baseline <file>',
      'onshore baseline GeoJSON (LineString or MultiLineString); default: generated',
    )
    .option(
      '--baseline-offset <m>',
      'without --baseline: generate one this far landward of the earliest shoreline, metres',
      positiveMetres,
      500,
    )
    .option(
      '--smoothing <m>',
      'baseline length over which transect directions are averaged, metres',
      nonNegativeMetres,
      500,
    )
    .addOption(
      new Option('--proxy <proxy>', "shorelines to analyse (default: the site's proxy)").choices([
        'waterline',
        'vegetation',
      ]),
    )
    .option('--tide-correct', "correct each waterline to z_ref with the site's slope (CoastSat)")
    .option(
      '--tide-slope <tanβ>',
      'correct each waterline to --z-ref (CoastSat): move it along its transect by (tide − z_ref)/tanβ',
      tideSlope,
    )
    .option(
      '--z-ref <m>',
      "tide correction's reference level on the tide datum, metres (default: the site's, else 0)",
      toNumber,
    )
    .option(
      '--tide-filter <percent>',
      'keep only scenes whose tide lies in the central <percent> % of the observed range (DEA; e.g. 50)',
      filterPercent,
    )
    .addHelpText(
      'after',
      "\nReplaces the site's previous analysis in one transaction: readers see the old results or the new,\n" +
        'never a mix, and a failed run leaves the old results in place. Negative rates mean erosion.\n' +
        'Uses DATABASE_URL when set, otherwise the embedded database in TIDEMARK_DATA_DIR (default ./.tidemark).',
    )
    .action(async (opts: AnalyzeCliOptions) => {
      const options = await toAnalyzeOptions(opts);
      const db = await openDatabase({ logger: createLogger('analyze') });
      try {
        const summary = await withInterrupt((signal) =>
          analyzeSite(db, opts.site, options, {
            signal,
            onProgress: (p) => process.stderr.write(`${p.stage}: ${p.message}\n`),
          }),
        );
        for (const w of summary.warnings) process.stderr.write(`warning: ${w}\n`);
        for (const n of summaryNotes(summary)) process.stderr.write(`note: ${n}\n`);
        process.stdout.write(formatSummary(summary));
      } finally {
        await db.close();
      }
    });
}

/** The service's options from the parsed flags; reads the baseline file (JSON errors name the file). */
export async function toAnalyzeOptions(
  opts: AnalyzeCliOptions,
): Promise<AnalyzeOptions & TideAnalysisOptions> {
  const options: AnalyzeOptions = {
    spacingM: opts.spacing,
    lengthM: opts.length,
    confidence: opts.confidence / 100,
    uncertaintyM: opts.uncertainty,
    intersection: opts.intersection,
    baselineOffsetM: opts.baselineOffset,
    smoothingM: opts.smoothing,
  };
  if (opts.baseline !== undefined) {
    options.baseline = await readJsonFile(opts.baseline, 'baseline');
    options.baselineSource = opts.baseline;
  }
  const correct = opts.tideCorrect === true || opts.tideSlope !== undefined || opts.zRef !== undefined;
  const tide: TideAnalysisOptions = {
    ...(opts.proxy ? { proxy: opts.proxy } : {}),
    ...(correct
      ? {
          tideCorrection: {
            ...(opts.tideSlope !== undefined ? { slope: opts.tideSlope } : {}),
            ...(opts.zRef !== undefined ? { zRefM: opts.zRef } : {}),
          },
        }
      : {}),
    ...(opts.tideFilter !== undefined ? { tideFilterPercent: opts.tideFilter } : {}),
  };
  return { ...options, ...tide };
}

export function tideSlope(value: string): number {
  const n = toNumber(value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError(`expected a slope tanβ in (0, 1], e.g. 0.001, got ${n}.`);
  return n;
}

export function filterPercent(value: string): number {
  const n = toNumber(value);
  if (!(n > 0 && n <= 100)) throw new InvalidArgumentError(`expected a percentage in (0, 100], got ${n}.`);
  return n;
}

export function formatSummary(s: AnalyzeSummary): string {
  const ha = (m2: number) => `${(m2 / 10_000).toFixed(1)} ha`;
  // Without forecasts the zones are empty, which is not the same as no hazard (see summaryNotes).
  const hazards =
    s.dates.count < MIN_FORECAST_SHORELINES
      ? 'none (too few dates)'
      : Object.entries(s.hazardAreaM2)
          .map(([h, m2]) => `${h} y ${ha(m2)}`)
          .join(', ') || 'none';
  return (
    `analysed ${s.slug}: ${s.dates.count} dates (${s.dates.first} → ${s.dates.last}), ${s.baseline} baseline, ` +
    `${s.counts.transects} transects (${s.transectsWithRate} with a regression rate), ` +
    `${s.counts.changePolygons} change polygons (first → last: erosion ${ha(s.erosionAreaM2)}, ` +
    `accretion ${ha(s.accretionAreaM2)}), hazard zones ${hazards}; ` +
    `analysis #${s.analysisId}, data version ${s.dataVersion}\n`
  );
}

/**
 * Why parts of an analysis are empty when there are too few shoreline dates for them, so that no rate and
 * no hazard zone is not read as no change and no hazard.
 */
export function summaryNotes(s: AnalyzeSummary): string[] {
  const notes: string[] = [];
  const n = s.dates.count;
  const regression = regressionShortfall(n);
  if (regression !== null) notes.push(regression);
  if (n < MIN_FORECAST_SHORELINES) {
    notes.push(
      `forecasts and hazard zones need ${MIN_FORECAST_SHORELINES} or more shoreline dates; with ${n}, ` +
        'there are none (which is not the same as no hazard)',
    );
  }
  return notes;
}

function toNumber(value: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`'${value}' is not a number.`);
  return n;
}

export function positiveMetres(value: string): number {
  const n = toNumber(value);
  if (n <= 0) throw new InvalidArgumentError(`expected a positive number of metres, got ${n}.`);
  return n;
}

export function nonNegativeMetres(value: string): number {
  const n = toNumber(value);
  if (n < 0) throw new InvalidArgumentError(`expected 0 or more metres, got ${n}.`);
  return n;
}

export function confidencePercent(value: string): number {
  const n = toNumber(value);
  if (!(n > 0 && n < 100))
    throw new InvalidArgumentError(`expected a percentage between 0 and 100, got ${n}.`);
  return n;
}
