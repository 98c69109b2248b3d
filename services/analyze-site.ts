import { TidemarkError } from '../common/errors.ts';
import { transectEnds } from '../pipeline/dsas/cast-transects.ts';
import type { TransectResult } from '../pipeline/dsas/compute-rates.ts';
import { parseDecimalYear } from '../pipeline/dsas/decimal-year.ts';
import { planarAreaM2 } from '../pipeline/dsas/polygon-ops.ts';
import { rateProperties } from '../pipeline/dsas/rate-properties.ts';
import { type LineCollection, readLineFeatures } from '../pipeline/dsas/read-line-features.ts';
import type { DatedShoreline, LineXY, ShorelinePiece, XY } from '../pipeline/dsas/types.ts';
import {
  type AnalysisCounts,
  type AnalysisWrite,
  type ForecastWrite,
  replaceSiteAnalysis,
  type TransectStatsRow,
  type TransectWrite,
  transformLines,
} from '../store/analysis.ts';
import type { Database } from '../store/db.ts';
import { listScenes, type Scene, setSceneTideStatus } from '../store/scenes.ts';
import { getDataExtent, listShorelines, type Shoreline } from '../store/shorelines.ts';
import {
  bumpDataVersion,
  getSiteTideSettings,
  requireSiteBySlug,
  type ShorelineProxy,
  type Site,
} from '../store/sites.ts';
import {
  completeTideCorrection,
  correctResults,
  filterSceneTides,
  type ResolvedTideAnalysis,
  resolveTideAnalysis,
  sceneTideStatuses,
  type TideAnalysisOptions,
} from './analysis-tide.ts';
import {
  type AnalyzeOptions,
  computeSiteAnalysis,
  type ResolvedAnalyzeOptions,
  resolveAnalyzeOptions,
  type SiteAnalysis,
} from './site-analysis.ts';
import { assertSiteCrsFits } from './site-crs-fit.ts';

export type { TideAnalysisOptions } from './analysis-tide.ts';
export type { AnalyzeOptions } from './site-analysis.ts';

export type AnalyzeStage = 'load' | 'compute' | 'write' | 'done';

export interface AnalyzeProgress {
  stage: AnalyzeStage;
  /** One human-readable line, e.g. "10 shoreline dates, 2016-03-01 → 2025-02-10". */
  message: string;
}

export interface AnalyzeContext {
  signal?: AbortSignal;
  onProgress?: (p: AnalyzeProgress) => void;
  /**
   * Called inside the transaction once everything is written and the data version bumped, just before the
   * commit. Throwing rolls the whole analysis back. (Tests use it to hold the transaction open while they
   * read from another connection. The embedded database has a single connection, held by the
   * transaction: there, a query through `db.knex` from this hook would wait forever.)
   */
  beforeCommit?: () => Promise<void>;
}

export interface AnalyzeSummary {
  siteId: number;
  slug: string;
  analysisId: number;
  epsg: number;
  dataVersion: number;
  /** Dates analysed, and shorelines left out (rejected or tide-filtered scenes). */
  dates: { count: number; first: string; last: string };
  excludedShorelines: number;
  baseline: 'generated' | 'supplied';
  counts: AnalysisCounts;
  /** Transects with an LRR (n ≥ 3). */
  transectsWithRate: number;
  /** First → last, m². */
  erosionAreaM2: number;
  accretionAreaM2: number;
  hazardAreaM2: Record<number, number>;
  warnings: string[];
}

/** A stored shoreline date, with the rows it came from (for the intersections' references). */
interface DateSource {
  readonly shorelineIds: number[];
  readonly sceneIds: Set<number | null>;
}

/**
 * `tidemark analyze`: everything P3 computes for a stored site, stored in one transaction that first
 * deletes the site's previous analysis and ends by bumping the site's data version, so readers see the old
 * analysis or the new one, never a mix, and a failure leaves the old one in place. Bad options fail before
 * anything is read.
 */
export async function analyzeSite(
  db: Database,
  slug: string,
  options: AnalyzeOptions & TideAnalysisOptions = {},
  ctx: AnalyzeContext = {},
): Promise<AnalyzeSummary> {
  const resolved = resolveAnalyzeOptions(options);
  const tideRequest = resolveTideAnalysis(options);
  const baselineInput =
    options.baseline === undefined
      ? null
      : readLineFeatures(options.baseline, options.baselineSource ?? 'the baseline', 'baseline');
  const progress = (stage: AnalyzeStage, message: string) => ctx.onProgress?.({ stage, message });
  ctx.signal?.throwIfAborted();

  const site = await requireSiteBySlug(db.knex, slug);
  // Shorelines stored before ingest checked the site's CRS could still lie where it cannot measure them.
  const extent = await getDataExtent(db, site.slug);
  if (extent) await assertSiteCrsFits(db.knex, site, extent.bounds, `the shorelines of site ${site.slug}`);
  const tide = completeTideCorrection(tideRequest, {
    slug: site.slug,
    ...(await getSiteTideSettings(db.knex, site.id)),
  });
  const proxy = tide.proxy ?? site.shorelineProxy;
  const { shorelines, sources, excluded, scenes, filter, considered } = await loadShorelines(
    db,
    site,
    resolved,
    proxy,
    tide,
  );
  const first = shorelines[0]!;
  const last = shorelines[shorelines.length - 1]!;
  progress(
    'load',
    `${shorelines.length} shoreline dates, ${first.date} → ${last.date}` +
      (excluded > 0 ? ` (${excluded} shoreline(s) of rejected or tide-filtered scenes left out)` : ''),
  );
  const baseline = baselineInput ? await baselineInSiteCrs(db, baselineInput, site.epsg) : null;
  ctx.signal?.throwIfAborted();

  const computed = computeSiteAnalysis(shorelines, baseline, resolved);
  // CoastSat: every waterline intersection moves to z_ref; stats and forecasts follow the moved positions.
  const sceneById = new Map(scenes.map((s) => [s.id, s]));
  const corrected = tide.correction
    ? correctResults(
        computed.results,
        shorelines.map((s) => dateTide(s.date, s.yearDecimal, sources.get(s.date)!, sceneById)),
        tide.correction,
        resolved.confidence,
        resolved.horizonsYr,
      )
    : null;
  const analysis = corrected ? { ...computed, results: corrected.results } : computed;
  const withRate = analysis.results.filter((r) => r.stats.lrr !== null).length;
  progress(
    'compute',
    `${analysis.results.length} transects (${withRate} with a regression rate), land of ${analysis.lands.length} dates, ` +
      `forecasts at ${resolved.horizonsYr.join(' and ')} years`,
  );
  ctx.signal?.throwIfAborted();

  const write = toAnalysisWrite(
    site,
    analysis,
    shorelines,
    sources,
    considered,
    resolved,
    corrected?.correctionOfYear ?? null,
  );
  write.params.proxy = proxy;
  write.params.tide = {
    correction: tide.correction ? { slope: tide.correction.slope, z_ref_m: tide.correction.zRefM } : null,
    filter_percent: tide.filterPercent,
    filter_band_m: filter ? [filter.lowM, filter.highM] : null,
    skipped: filter
      ? filter.decisions.filter((d) => !d.kept).map((d) => ({ scene: d.scene, reason: d.reason }))
      : [],
    distance_basis: tide.correction ? 'tide_corrected' : 'raw',
    forecast_zones: tide.correction ? 'from the raw shorelines' : 'from the shorelines',
  };
  const stored = await db.knex.transaction(async (trx) => {
    const result = await replaceSiteAnalysis(trx, write);
    if (tide.correction || filter) await setSceneTideStatus(trx, sceneTideStatuses(scenes, tide, filter));
    const dataVersion = await bumpDataVersion(trx, site.id);
    ctx.signal?.throwIfAborted();
    await ctx.beforeCommit?.();
    return { ...result, dataVersion };
  });
  progress(
    'write',
    `stored analysis #${stored.analysisId}: ${stored.counts.transects} transects, ` +
      `${stored.counts.intersections} intersections, ${stored.counts.changePolygons} change polygons, ` +
      `${stored.counts.forecasts} forecasts, ${stored.counts.hazardZones} hazard zones`,
  );

  const overall = stored.changes.find((c) => c.periodKind === 'total');
  const hazardAreaM2: Record<number, number> = {};
  for (const f of write.forecasts) hazardAreaM2[f.horizonYears] = f.hazard?.areaM2 ?? 0;
  const summary: AnalyzeSummary = {
    siteId: site.id,
    slug: site.slug,
    analysisId: stored.analysisId,
    epsg: site.epsg,
    dataVersion: stored.dataVersion,
    dates: { count: shorelines.length, first: first.date, last: last.date },
    excludedShorelines: excluded,
    baseline: analysis.baseline.source,
    counts: stored.counts,
    transectsWithRate: withRate,
    erosionAreaM2: overall?.erosionAreaM2 ?? 0,
    accretionAreaM2: overall?.accretionAreaM2 ?? 0,
    hazardAreaM2,
    warnings: [...analysis.warnings],
  };
  progress('done', `site ${site.slug} analysed (data version ${stored.dataVersion})`);
  return summary;
}

/**
 * The site's shorelines in its metric CRS, one DatedShoreline per date (the rows of a date are its pieces),
 * without those of rejected or tide-filtered scenes.
 */
async function loadShorelines(
  db: Database,
  site: Site,
  options: ResolvedAnalyzeOptions,
  proxy: ShorelineProxy,
  tide: ResolvedTideAnalysis,
): Promise<{
  shorelines: DatedShoreline[];
  sources: Map<string, DateSource>;
  excluded: number;
  /** The scenes with shorelines of the proxy, not rejected (tide-filtered ones included). */
  scenes: Scene[];
  filter: ReturnType<typeof filterSceneTides> | null;
  /** Ids of every shoreline of the proxy, used or left out: what the analysis saw. */
  considered: number[];
}> {
  const allScenes = await listScenes(db.knex, site.id);
  const rows = (await listShorelines(db.knex, site.id, { epsg: site.epsg })).filter((r) => r.proxy === proxy);
  const withLines = new Set(rows.map((r) => r.sceneId));
  const scenes = allScenes.filter((s) => s.reviewStatus !== 'rejected' && withLines.has(s.id));
  // A tide filter asked for now decides afresh (and is stored); otherwise the stored flags stand.
  const filter = tide.filterPercent === null ? null : filterSceneTides(scenes, tide.filterPercent);
  const skipped = new Set(filter?.decisions.filter((d) => !d.kept).map((d) => d.scene) ?? []);
  const left = new Set(
    allScenes
      .filter((s) => s.reviewStatus === 'rejected' || (filter ? skipped.has(s.fileName) : s.tideFiltered))
      .map((s) => s.id),
  );
  const used = rows.filter((r) => r.sceneId === null || !left.has(r.sceneId));
  const byDate = new Map<string, { pieces: ShorelinePiece[]; source: DateSource }>();
  for (const row of used) {
    const entry = byDate.get(row.date) ?? { pieces: [], source: { shorelineIds: [], sceneIds: new Set() } };
    entry.pieces.push(...piecesOf(row, options.uncertaintyM));
    entry.source.shorelineIds.push(row.id);
    entry.source.sceneIds.add(row.sceneId);
    byDate.set(row.date, entry);
  }
  if (byDate.size < 2) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `site '${site.slug}' has shorelines of ${byDate.size} date(s)` +
        (rows.length > used.length
          ? ` (${rows.length - used.length} left out as rejected or tide-filtered)`
          : '') +
        ': an analysis needs at least 2 dates; ingest more scenes first',
      { details: { site: site.slug, dates: byDate.size } },
    );
  }
  const shorelines = [...byDate.entries()]
    .map(([date, e]) => ({ date, yearDecimal: parseDecimalYear(date), pieces: e.pieces }))
    .sort((a, b) => a.yearDecimal - b.yearDecimal);
  const sources = new Map([...byDate.entries()].map(([date, e]) => [date, e.source]));
  return {
    shorelines,
    sources,
    excluded: rows.length - used.length,
    scenes,
    filter,
    considered: rows.map((r) => r.id),
  };
}

/** The tide of a shoreline date: that of its scene(s); an imported line or scenes without one give null. */
function dateTide(
  date: string,
  yearDecimal: number,
  source: DateSource,
  sceneById: ReadonlyMap<number, Scene>,
): { yearDecimal: number; scene: string; tideHeightM: number | null } {
  const scenes = [...source.sceneIds].map((id) => (id === null ? undefined : sceneById.get(id)));
  const heights = new Set(scenes.map((s) => s?.tideHeightM ?? null));
  const name = scenes.map((s) => s?.fileName ?? `imported shoreline of ${date}`).join(' + ');
  if (heights.size > 1) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `the scenes of ${date} (${name}) have different tides; tide correction needs one tide per date`,
    );
  }
  return { yearDecimal, scene: name, tideHeightM: [...heights][0] ?? null };
}

function piecesOf(row: Shoreline, defaultUncertaintyM: number): ShorelinePiece[] {
  const uncertaintyM = row.uncertaintyM ?? defaultUncertaintyM;
  return row.geometry.coordinates.map((line) => ({
    coordinates: line.map((p): XY => [p[0]!, p[1]!]),
    uncertaintyM,
  }));
}

async function baselineInSiteCrs(db: Database, input: LineCollection, epsg: number): Promise<LineXY[]> {
  const lines = input.features.flatMap((f) => f.lines);
  if (input.epsg === epsg) return lines;
  return (await transformLines(db.knex, lines, input.epsg, epsg)) as XY[][];
}

function toAnalysisWrite(
  site: Site,
  analysis: SiteAnalysis,
  shorelines: readonly DatedShoreline[],
  sources: ReadonlyMap<string, DateSource>,
  considered: readonly number[],
  options: ResolvedAnalyzeOptions,
  correctionOfYear: ReadonlyMap<number, number> | null = null,
): AnalysisWrite {
  const dateOf = new Map(shorelines.map((s) => [s.yearDecimal, s.date]));
  const first = shorelines[0]!;
  const last = shorelines[shorelines.length - 1]!;
  const transects = analysis.results.map((r) => transectWrite(r, dateOf, sources, options, correctionOfYear));
  const forecasts: ForecastWrite[] = analysis.forecasts.map((z) => {
    const sigmas = analysis.results
      .map((r) => r.forecast?.points.find((p) => p.horizonYr === z.horizonYr)?.sigmaM)
      .filter((s): s is number => s !== undefined);
    return {
      horizonYears: z.horizonYr,
      forecastDate: addYears(last.date, z.horizonYr),
      lines: z.lines,
      band: z.band,
      sigmaMeanM: sigmas.length > 0 ? sigmas.reduce((a, b) => a + b, 0) / sigmas.length : null,
      hazard: z.hazard.length > 0 ? { areaM2: planarAreaM2(z.hazard), polygons: z.hazard } : null,
    };
  });
  return {
    siteId: site.id,
    epsg: site.epsg,
    params: {
      spacing_m: options.spacingM,
      length_m: options.lengthM,
      confidence: options.confidence,
      uncertainty_m: options.uncertaintyM,
      intersection: options.intersection,
      baseline: analysis.baseline.source,
      baseline_offset_m: analysis.baseline.offsetM,
      smoothing_m: options.smoothingM,
      sea_side: analysis.baseline.seaSide,
      horizons_yr: options.horizonsYr,
      land: 'shorelines closed against the bounding box of the data',
      land_dates: analysis.lands.map((l) => l.date),
      warnings: analysis.warnings,
    },
    shorelineCount: shorelines.length,
    shorelineIds: considered,
    dateFirst: first.date,
    dateLast: last.date,
    baseline: {
      source: analysis.baseline.source,
      offsetM: analysis.baseline.offsetM,
      smoothingM: analysis.baseline.smoothingM,
      parts: analysis.baseline.parts,
    },
    transects,
    lands: analysis.lands.map((l) => ({ date: l.date, polygons: l.land })),
    changePeriods: analysis.changePeriods.map((p) => ({
      fromDate: p.fromDate,
      toDate: p.toDate,
      periodKind: p.span === 'overall' ? 'total' : 'consecutive',
    })),
    forecasts,
  };
}

function transectWrite(
  r: TransectResult,
  dateOf: ReadonlyMap<number, string>,
  sources: ReadonlyMap<string, DateSource>,
  options: ResolvedAnalyzeOptions,
  correctionOfYear: ReadonlyMap<number, number> | null,
): TransectWrite {
  const t = r.transect;
  const [start, end] = transectEnds(t);
  const p = rateProperties(r);
  const date = (year: number | null) => (year === null ? null : (dateOf.get(year) ?? null));
  // Distance at decimal year 0 of d = intercept + rate·t (the column's definition).
  const intercept0 = (fit: TransectResult['stats']['lrr']) =>
    fit ? fit.interceptM - fit.rateMPerYr * fit.referenceYear : null;
  const stats: TransectStatsRow = {
    n: p.n,
    date_first: date(r.stats.firstYear),
    date_last: date(r.stats.lastYear),
    nsm_m: p.nsm_m,
    sce_m: p.sce_m,
    epr_m_yr: p.epr_m_yr,
    epr_unc_m_yr: p.epr_unc_m_yr,
    lrr_m_yr: p.lrr_m_yr,
    lrr_intercept_m: intercept0(r.stats.lrr),
    lrr_r2: p.lrr_r2,
    lrr_se_m: p.lrr_se_m,
    lrr_ci_m_yr: p.lrr_ci_m_yr,
    wlr_m_yr: p.wlr_m_yr,
    wlr_intercept_m: intercept0(r.stats.wlr),
    wlr_r2: p.wlr_r2,
    wlr_se_m: p.wlr_se_m,
    wlr_ci_m_yr: p.wlr_ci_m_yr,
    confidence_pct: options.confidence * 100,
    rate_class: r.stats.rateClass,
    forecast_10y_m: p.forecast_10y_m,
    forecast_10y_sigma_m: p.forecast_10y_sigma_m,
    forecast_20y_m: p.forecast_20y_m,
    forecast_20y_sigma_m: p.forecast_20y_sigma_m,
  };
  const observations = r.observations.map((o) => {
    const d = dateOf.get(o.yearDecimal)!;
    const source = sources.get(d);
    const sceneIds = source ? [...source.sceneIds] : [];
    // Corrected results carry corrected distances; the row keeps the raw one (and where the line was seen).
    const correctionM = correctionOfYear?.get(o.yearDecimal) ?? null;
    const rawM = correctionM === null ? o.distanceM : o.distanceM - correctionM;
    return {
      date: d,
      decimalYear: o.yearDecimal,
      distanceM: rawM,
      uncertaintyM: o.uncertaintyM,
      point: [t.origin[0] + t.dir[0] * rawM, t.origin[1] + t.dir[1] * rawM] as XY,
      shorelineId: source?.shorelineIds.length === 1 ? source.shorelineIds[0]! : null,
      sceneId: sceneIds.length === 1 ? (sceneIds[0] ?? null) : null,
      correctedDistanceM: correctionM === null ? null : o.distanceM,
      tideCorrectionM: correctionM,
    };
  });
  return {
    transectNo: t.id,
    lengthM: t.sMaxM - t.sMinM,
    azimuthDeg: azimuthDeg(t.dir),
    start,
    end,
    stats,
    observations,
    distanceBasis: correctionOfYear ? 'tide_corrected' : 'raw',
  };
}

/** Grid azimuth of a direction, degrees clockwise from grid north, in [0, 360). */
function azimuthDeg(dir: XY): number {
  const deg = (Math.atan2(dir[0], dir[1]) * 180) / Math.PI;
  const a = deg < 0 ? deg + 360 : deg;
  return a >= 360 ? 0 : a;
}

/** 'YYYY-MM-DD' plus whole years (29 February becomes 28 February in a common year). */
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = y + years;
  const lastDay = new Date(Date.UTC(target, m, 0)).getUTCDate();
  return `${String(target).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
