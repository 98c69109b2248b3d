/**
 * `npm run bench:rate-accuracy`: LRR from our extracted shorelines against the true rate at each transect.
 *
 * The fixture series (fixtures/scenes/series.json when it is there, else the same kind of series generated
 * into a temporary directory: 10 yearly 1024² scenes, 3 % noise, ponds) goes through the real extractor;
 * its lines are analysed exactly as `tidemark analyze` does (computeSiteAnalysis: generated baseline,
 * transects every 50 m, 2000 m long). Each transect's true rate comes from the coast model
 * (trueRateAlongTransectMPerYr, tide included: the lines the scenes show). The same is done with the exact
 * truth lines, which must match within 0.01 m/yr.
 *
 * Targets: extracted median ≤ 0.15 m/yr, p95 ≤ 0.4 m/yr; exact lines max ≤ 0.01 m/yr. Exit code 1 when a
 * target is missed. Environment: SERIES_DIR (default fixtures/scenes), SIZE, NOISE, SEED for the
 * generated series.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoastModel } from '../fixtures/coast-model.ts';
import { writeSceneFile } from '../fixtures/generate-scene.ts';
import { transectEnds } from '../pipeline/dsas/cast-transects.ts';
import type { TransectResult } from '../pipeline/dsas/compute-rates.ts';
import { createProjector } from '../pipeline/dsas/metric-crs.ts';
import type { DatedShoreline, XY } from '../pipeline/dsas/types.ts';
import { extractScene } from '../services/extract-scene.ts';
import { computeSiteAnalysis, resolveAnalyzeOptions } from '../services/site-analysis.ts';
import { createExtractPool } from '../workers/extract-pool.ts';

interface Series {
  model: CoastModel;
  files: { year: number; path: string }[];
  description: string;
  cleanup: () => Promise<void>;
}

const SERIES_DIR = process.env.SERIES_DIR ?? 'fixtures/scenes';

async function loadSeries(): Promise<Series> {
  const manifestPath = join(SERIES_DIR, 'series.json');
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      seed: number;
      size_px: number;
      first_year: number;
      last_year: number;
      noise: number;
      ponds: boolean;
      scenes: { year: number; file: string }[];
    };
    const model = new CoastModel({
      seed: m.seed,
      widthPx: m.size_px,
      firstYear: m.first_year,
      lastYear: m.last_year,
      ponds: m.ponds,
    });
    return {
      model,
      files: m.scenes.map((s) => ({ year: s.year, path: join(SERIES_DIR, s.file) })),
      description: `${manifestPath}: ${m.scenes.length} scenes ${m.size_px}², noise ${m.noise * 100} %, ponds ${m.ponds}, seed ${m.seed}`,
      cleanup: async () => undefined,
    };
  }
  const sizePx = Number(process.env.SIZE ?? 1024);
  const noise = Number(process.env.NOISE ?? 0.03);
  const seed = Number(process.env.SEED ?? 7);
  const dir = await mkdtemp(join(tmpdir(), 'tidemark-rate-accuracy-'));
  const model = new CoastModel({ seed, widthPx: sizePx, ponds: true });
  const files = model.years.map((year) => {
    const path = join(dir, `ca-mau-${year}.tif`);
    writeSceneFile({ sizePx, year, seed, noise, ponds: true }, path, model);
    return { year, path };
  });
  return {
    model,
    files,
    description: `generated (no ${manifestPath}): ${files.length} scenes ${sizePx}², noise ${noise * 100} %, ponds, seed ${seed}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

interface ErrorStats {
  compared: number;
  median: number;
  p95: number;
  max: number;
}

/** |LRR − true rate| over the transects where both exist. */
function rateErrors(model: CoastModel, results: readonly TransectResult[], includeTide: boolean): ErrorStats {
  const errors: number[] = [];
  for (const r of results) {
    if (!r.stats.lrr) continue;
    const [origin, end] = transectEnds(r.transect);
    const truth = model.trueRateAlongTransectMPerYr(origin, end, { includeTide });
    if (truth === null) continue;
    errors.push(Math.abs(r.stats.lrr.rateMPerYr - truth));
  }
  errors.sort((a, b) => a - b);
  const q = (p: number) => errors[Math.min(errors.length - 1, Math.floor(p * errors.length))] ?? Number.NaN;
  return { compared: errors.length, median: q(0.5), p95: q(0.95), max: errors.at(-1) ?? Number.NaN };
}

const fmt = (e: ErrorStats) =>
  `median ${e.median.toFixed(3)}  p95 ${e.p95.toFixed(3)}  max ${e.max.toFixed(3)} m/yr over ${e.compared} transects`;

const started = performance.now();
const series = await loadSeries();
const { model } = series;
const utm = createProjector(model.epsg);
const options = resolveAnalyzeOptions();
const pool = createExtractPool();
try {
  const tExtract = performance.now();
  const extracted: DatedShoreline[] = [];
  for (const { year, path } of series.files) {
    const result = await extractScene(path, {}, { pool });
    const pieces = result.shorelines.features.flatMap((f) => {
      const g = f.geometry;
      const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
      return lines.map((line) => ({
        coordinates: line.map((p) => utm.fromLonLat([p[0]!, p[1]!])),
        uncertaintyM: options.uncertaintyM,
      }));
    });
    extracted.push({ date: model.acquisitionDate(year), yearDecimal: model.decimalYear(year), pieces });
  }
  const extractS = (performance.now() - tExtract) / 1000;

  const exact: DatedShoreline[] = model.years.map((year) => ({
    date: model.acquisitionDate(year),
    yearDecimal: model.decimalYear(year),
    pieces: [{ coordinates: model.shorelineUtm(year) as XY[], uncertaintyM: options.uncertaintyM }],
  }));

  const tAnalyse = performance.now();
  const fromExtracted = computeSiteAnalysis(extracted, null, options);
  const analyseS = (performance.now() - tAnalyse) / 1000;
  const fromExact = computeSiteAnalysis(exact, null, options);

  const ext = rateErrors(model, fromExtracted.results, true);
  const extTideFree = rateErrors(model, fromExtracted.results, false);
  const tru = rateErrors(model, fromExact.results, true);
  const short = fromExtracted.results.filter((r) => r.stats.n < extracted.length).length;
  const extPass = ext.median <= 0.15 && ext.p95 <= 0.4;
  const truPass = tru.max <= 0.01;

  console.log(`rate accuracy benchmark: ${series.description}`);
  console.log(
    `  extraction: ${series.files.length} scenes in ${extractS.toFixed(1)} s; analysis ${analyseS.toFixed(2)} s; ` +
      `${fromExtracted.results.length} transects (spacing ${options.spacingM} m, length ${options.lengthM} m, ` +
      `generated baseline), ${short} missing a date`,
  );
  console.log(`  extracted lines vs truth lines' rate:  ${fmt(ext)}`);
  console.log(`  extracted lines vs tide-free rate:     ${fmt(extTideFree)} (for information)`);
  console.log(`  exact truth lines vs truth:            ${fmt(tru)}`);
  console.log(
    `EXTRACTED |LRR − truth| median ${ext.median.toFixed(3)} (target ≤ 0.15), p95 ${ext.p95.toFixed(3)} ` +
      `(target ≤ 0.4) m/yr: ${extPass ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `EXACT LINES max |LRR − truth| ${tru.max.toFixed(4)} m/yr (target ≤ 0.01): ${truPass ? 'PASS' : 'FAIL'}`,
  );
  console.log(`  total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!extPass || !truPass) process.exitCode = 1;
} finally {
  await pool.destroy();
  await series.cleanup();
}
