import { TidemarkError } from '../common/errors.ts';
import { castTransects, type Side } from '../pipeline/dsas/cast-transects.ts';
import type { DatedLand } from '../pipeline/dsas/change-polygons.ts';
import { computeRates, type TransectResult, validateShorelines } from '../pipeline/dsas/compute-rates.ts';
import { type ForecastZones, forecastZones } from '../pipeline/dsas/forecast-zones.ts';
import { generateBaseline } from '../pipeline/dsas/generate-baseline.ts';
import { inferSeaSide } from '../pipeline/dsas/infer-sea-side.ts';
import type { DatedShoreline, IntersectionRule, LineXY } from '../pipeline/dsas/types.ts';
import { closeLand, landFrame, orientSeaRight, shareFacingSeaLeft } from './shoreline-land.ts';

/** What `tidemark analyze` can be told; every field has the DSAS-style default shown. */
export interface AnalyzeOptions {
  /** Distance between transects along the baseline, metres (50). */
  spacingM?: number;
  /** Transect length, metres (2000). */
  lengthM?: number;
  /** Confidence level of LCI/WCI as a fraction (0.9). */
  confidence?: number;
  /** Shoreline uncertainty U where a shoreline has none stored, metres (10). */
  uncertaintyM?: number;
  /** Which crossing counts when a transect crosses a shoreline twice ('seaward'). */
  intersection?: IntersectionRule;
  /**
   * An onshore baseline: a parsed GeoJSON LineString/MultiLineString (Feature, FeatureCollection or bare
   * geometry), EPSG:4326 unless its `crs` member names another CRS. Default: generated.
   */
  baseline?: unknown;
  /** Where the baseline came from (a file name), for error messages. */
  baselineSource?: string;
  /** Generated baseline: distance landward of the smoothed earliest shoreline, metres (500). */
  baselineOffsetM?: number;
  /** Arc length over which the baseline direction is averaged for transect directions, metres (500). */
  smoothingM?: number;
}

export interface ResolvedAnalyzeOptions {
  readonly spacingM: number;
  readonly lengthM: number;
  readonly confidence: number;
  readonly uncertaintyM: number;
  readonly intersection: IntersectionRule;
  readonly baselineOffsetM: number;
  readonly smoothingM: number;
  /** Forecast horizons after the last shoreline, years. */
  readonly horizonsYr: readonly number[];
}

export const FORECAST_HORIZONS_YR: readonly number[] = [10, 20];
/** Smoothing window of a generated baseline, metres: wide enough that the offset line cannot loop. */
export const BASELINE_SMOOTHING_M = 1000;

/** Checks every option (before any work is done) and fills in the defaults. */
export function resolveAnalyzeOptions(options: AnalyzeOptions = {}): ResolvedAnalyzeOptions {
  const positive = (value: unknown, fallback: number, name: string) => {
    const v = value === undefined ? fallback : value;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `${name} must be a positive number of metres, got ${String(v)}`,
        {
          details: { option: name },
        },
      );
    }
    return v;
  };
  const spacingM = positive(options.spacingM, 50, 'spacing');
  const lengthM = positive(options.lengthM, 2000, 'length');
  const uncertaintyM = positive(options.uncertaintyM, 10, 'uncertainty');
  const baselineOffsetM = positive(options.baselineOffsetM, 500, 'baseline offset');
  const smoothingM = options.smoothingM ?? 500;
  if (typeof smoothingM !== 'number' || !Number.isFinite(smoothingM) || smoothingM < 0) {
    throw new TidemarkError('INVALID_INPUT', `smoothing must be 0 or more metres, got ${String(smoothingM)}`);
  }
  const confidence = options.confidence ?? 0.9;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `confidence must be a fraction between 0 and 1 (exclusive), e.g. 0.9, got ${String(confidence)}`,
    );
  }
  const intersection = options.intersection ?? 'seaward';
  if (intersection !== 'seaward' && intersection !== 'landward') {
    throw new TidemarkError(
      'INVALID_INPUT',
      `intersection must be 'seaward' or 'landward', got '${String(intersection)}'`,
    );
  }
  return {
    spacingM,
    lengthM,
    confidence,
    uncertaintyM,
    intersection,
    baselineOffsetM,
    smoothingM,
    horizonsYr: FORECAST_HORIZONS_YR,
  };
}

export interface SiteBaseline {
  readonly source: 'generated' | 'supplied';
  readonly parts: readonly LineXY[];
  readonly seaSide: Side;
  /** Generated baselines only: the landward offset and the smoothing of the shoreline, metres. */
  readonly offsetM: number | null;
  readonly smoothingM: number | null;
}

/** A pair of dates whose lands are compared: land(from) \\ land(to) is erosion, the reverse accretion. */
export interface ChangePeriod {
  readonly fromDate: string;
  readonly toDate: string;
  /** 'consecutive' for successive dates, 'overall' for first → last. */
  readonly span: 'consecutive' | 'overall';
}

/** Everything computed for a site, in its metric CRS. */
export interface SiteAnalysis {
  readonly baseline: SiteBaseline;
  readonly results: readonly TransectResult[];
  /** The land of each date whose shoreline could be closed (valid polygons), oldest first. */
  readonly lands: readonly DatedLand[];
  /**
   * The periods to compare: consecutive pairs of those dates, then first → last (also with only two
   * dates, so "first → last" always exists for readers).
   */
  readonly changePeriods: readonly ChangePeriod[];
  readonly forecasts: readonly ForecastZones[];
  /** Things the user should know: dates left out of the change polygons, transects missing shorelines. */
  readonly warnings: readonly string[];
}

/**
 * The pure part of `tidemark analyze`: baseline (given, or generated from the earliest shoreline, whose
 * sea is on its right as extracted lines have it), transects, DSAS rates and forecasts, land polygons and
 * the periods to compare them over, forecast lines, bands and hazard zones. Inputs are metric and are not
 * changed. (The land overlays themselves run in PostGIS when the analysis is stored: on the fixture coast,
 * GEOS takes ~25 ms per difference where polygon clipping in JS took ~235 ms.)
 */
export function computeSiteAnalysis(
  shorelines: readonly DatedShoreline[],
  suppliedBaseline: readonly LineXY[] | null,
  options: ResolvedAnalyzeOptions,
): SiteAnalysis {
  validateShorelines(shorelines);
  const sorted = [...shorelines].sort((a, b) => a.yearDecimal - b.yearDecimal);
  const warnings: string[] = [];
  const baseline = buildBaseline(sorted, suppliedBaseline, options);
  const transects = castTransects(baseline.parts, {
    spacingM: options.spacingM,
    lengthM: options.lengthM,
    seaSide: baseline.seaSide,
    smoothingM: options.smoothingM,
  });
  const results = computeRates(sorted, transects, {
    intersection: options.intersection,
    confidence: options.confidence,
    kalman: { horizonsYr: options.horizonsYr },
  });
  const missing = results.filter((r) => r.stats.n < sorted.length).length;
  if (missing > 0) {
    warnings.push(
      `${missing} of ${results.length} transects do not cross every shoreline within ${options.lengthM} m of the baseline`,
    );
  }

  const oriented = sorted.map((s) =>
    orientSeaRight(
      s.pieces.map((p) => p.coordinates),
      baseline.parts,
      baseline.seaSide,
    ),
  );
  const frame = landFrame(oriented);
  const lands: DatedLand[] = [];
  sorted.forEach((s, i) => {
    try {
      lands.push({
        date: s.date,
        yearDecimal: s.yearDecimal,
        land: closeLand(oriented[i]!, frame, `the shoreline of ${s.date}`),
      });
    } catch (err) {
      if (!(err instanceof TidemarkError)) throw err;
      warnings.push(`${err.message}: it is left out of the change polygons`);
    }
  });
  const changePeriods: ChangePeriod[] = [];
  for (let i = 0; i + 1 < lands.length; i++) {
    changePeriods.push({ fromDate: lands[i]!.date, toDate: lands[i + 1]!.date, span: 'consecutive' });
  }
  if (lands.length >= 2) {
    changePeriods.push({ fromDate: lands[0]!.date, toDate: lands[lands.length - 1]!.date, span: 'overall' });
  } else {
    warnings.push(`only ${lands.length} shoreline(s) could be closed into land: no change polygons`);
  }
  const forecasts = options.horizonsYr.map((h) => forecastZones(results, h));
  return { baseline, results, lands, changePeriods, forecasts, warnings };
}

/**
 * A supplied baseline is read as onshore: the sea is taken to lie beyond the shorelines it meets. Drawn on
 * the sea side instead, it would flip the sign of every rate. Extracted shorelines run with the sea on
 * their right, so they tell: when most of their length runs the other way against the baseline's sea side,
 * the baseline is refused.
 */
function assertBaselineOnshore(
  sorted: readonly DatedShoreline[],
  baseline: readonly LineXY[],
  seaSide: 'left' | 'right',
): void {
  const against = shareFacingSeaLeft(sorted, baseline, seaSide);
  if (against !== null && against > 0.5) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `the baseline lies on the sea side of the shorelines (${Math.round(100 * against)} % of their ` +
        'length faces it with the land): a baseline is read as onshore, so every rate would have the wrong sign. ' +
        'Draw it inland of the shorelines, or leave out --baseline to have one generated',
    );
  }
}

function buildBaseline(
  sorted: readonly DatedShoreline[],
  supplied: readonly LineXY[] | null,
  options: ResolvedAnalyzeOptions,
): SiteBaseline {
  if (supplied) {
    if (supplied.length === 0) throw new TidemarkError('INVALID_INPUT', 'the baseline has no lines');
    const seaSide = inferSeaSide(supplied, sorted, options.lengthM, options.spacingM, 'onshore');
    assertBaselineOnshore(sorted, supplied, seaSide);
    return { source: 'supplied', parts: supplied, seaSide, offsetM: null, smoothingM: null };
  }
  const earliest = sorted[0]!;
  // Extracted shorelines have the sea on their right, so the land is on their left.
  const generated = generateBaseline(earliest, {
    offsetM: options.baselineOffsetM,
    landSide: 'left',
    smoothingM: BASELINE_SMOOTHING_M,
  });
  return {
    source: 'generated',
    parts: generated.parts,
    seaSide: generated.seaSide,
    offsetM: options.baselineOffsetM,
    smoothingM: BASELINE_SMOOTHING_M,
  };
}
