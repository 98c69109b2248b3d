import { Command } from 'commander';
import { TidemarkError } from '../../common/errors.ts';
import {
  checkOutputPaths,
  type InputFile,
  type OutputTarget,
  writeFilesAtomic,
} from '../../common/write-file-atomic.ts';
import {
  assertTransectCount,
  assertTransectLength,
  type BaselinePlacement,
  castTransects,
  MAX_TRANSECT_LENGTH_M,
  MAX_TRANSECTS,
  type Side,
  transectEnds,
  transectsFromLines,
} from '../../pipeline/dsas/cast-transects.ts';
import { computeRates, type TransectResult, validateShorelines } from '../../pipeline/dsas/compute-rates.ts';
import { forecastZones } from '../../pipeline/dsas/forecast-zones.ts';
import { generateBaseline } from '../../pipeline/dsas/generate-baseline.ts';
import { inferSeaSide } from '../../pipeline/dsas/infer-sea-side.ts';
import { MIN_FORECAST_SHORELINES } from '../../pipeline/dsas/kalman-forecast.ts';
import { regressionShortfall } from '../../pipeline/dsas/linear-regression.ts';
import { createProjector, isGeographicEpsg, utmEpsgForLonLat } from '../../pipeline/dsas/metric-crs.ts';
import { planarAreaM2 } from '../../pipeline/dsas/polygon-ops.ts';
import {
  RATE_PROPERTY_NAMES,
  type RateProperties,
  rateProperties,
} from '../../pipeline/dsas/rate-properties.ts';
import {
  type LineCollection,
  mapCollection,
  readLineFeatures,
} from '../../pipeline/dsas/read-line-features.ts';
import { shorelinesFromFeatures } from '../../pipeline/dsas/shorelines-from-features.ts';
import type { IntersectionRule, LineXY, Transect, XY } from '../../pipeline/dsas/types.ts';
import { shareFacingSeaLeft } from '../../services/shoreline-land.ts';
import { readJsonFile } from '../read-json-file.ts';

/** Options as commander hands them over (strings), validated by `runRates`. */
export interface RatesOptions {
  baseline?: string;
  transects?: string;
  spacing?: string | number;
  length?: string | number;
  confidence?: string | number;
  uncertainty?: string | number;
  intersection?: string;
  format?: string;
  out?: string;
  zones?: string;
  epsg?: string | number;
  seaSide?: string;
  placement?: string;
  smoothing?: string | number;
  baselineOffset?: string | number;
}

export interface RatesSummary {
  transects: number;
  shorelines: number;
  epsg: number;
  seaSide: Side | null;
  /** Where the output went (null: stdout). */
  outPath: string | null;
  /** What the user should know about the result: empty statistics and why, a suspicious baseline. */
  notes: string[];
}

export function ratesCommand(): Command {
  return new Command('rates')
    .description(
      'Shoreline change rates (DSAS v5 statistics and Kalman forecasts) from shoreline files, no database',
    )
    .argument('<shorelines...>', 'shoreline GeoJSON files; each feature needs a `date` property')
    .option('--baseline <file>', 'baseline GeoJSON (LineString or MultiLineString)')
    .option('--transects <file>', 'use these transects instead (origin = first vertex, landward end)')
    .option(
      '--spacing <m>',
      `distance between transects along the baseline, metres (at most ${MAX_TRANSECTS.toLocaleString('en-US')} transects)`,
      '50',
    )
    .option('--length <m>', `transect length, metres (at most ${MAX_TRANSECT_LENGTH_M})`, '2000')
    .option('--confidence <percent>', 'confidence level of LCI/WCI, percent', '90')
    .option('--uncertainty <m>', 'shoreline uncertainty U when a feature has no uncertainty_m, metres', '10')
    .option(
      '--intersection <rule>',
      'crossing that counts when a transect crosses a shoreline twice: seaward|landward',
      'seaward',
    )
    .option('--format <format>', 'geojson|csv', 'geojson')
    .option('--out <file>', 'output file (written atomically); default stdout')
    .option(
      '--zones <file>',
      'also write forecast lines, ±1σ bands and hazard zones (10 and 20 years) as GeoJSON',
    )
    .option('--epsg <code>', 'metric CRS for the computation (default: the UTM zone of the data)')
    .option(
      '--sea-side <side>',
      'side of the baseline facing the sea, walking along it: auto|left|right',
      'auto',
    )
    .option('--placement <where>', 'baseline placement: onshore|offshore|midshore', 'onshore')
    .option('--smoothing <m>', 'baseline smoothing distance for transect directions, metres', '500')
    .option(
      '--baseline-offset <m>',
      'without --baseline: generate one this far landward of the earliest shoreline',
      '500',
    )
    .addHelpText(
      'after',
      '\nInput GeoJSON is EPSG:4326 unless a `crs` member names another CRS (UTM zones, 3405/3406, 3857).\n' +
        'Distances are positive seaward; negative rates mean erosion. Without --baseline or --transects a\n' +
        "baseline is generated from the earliest shoreline; then --sea-side (relative to that shoreline's\n" +
        'vertex order) is required.',
    )
    .action(async (files: string[], opts: RatesOptions) => {
      const summary = await runRates(files, opts);
      for (const note of summary.notes) process.stderr.write(`note: ${note}\n`);
      if (summary.outPath) {
        process.stderr.write(
          `wrote ${summary.transects} transects from ${summary.shorelines} shorelines (EPSG:${summary.epsg}) to ${summary.outPath}\n`,
        );
      }
    });
}

/**
 * Everything `tidemark rates` does, callable without commander. Throws TidemarkError on bad input before
 * anything is written; output goes to a temporary file renamed into place.
 */
export async function runRates(files: readonly string[], opts: RatesOptions): Promise<RatesSummary> {
  const spacingM = positiveNumber(opts.spacing ?? 50, 'spacing', 'metres');
  const lengthM = positiveNumber(opts.length ?? 2000, 'length', 'metres');
  assertTransectLength(lengthM, '--length');
  const confidencePct = positiveNumber(opts.confidence ?? 90, 'confidence', 'percent');
  if (confidencePct >= 100) throw invalid(`--confidence must be below 100 percent, got ${confidencePct}`);
  const uncertaintyM = positiveNumber(opts.uncertainty ?? 10, 'uncertainty', 'metres');
  const smoothingM = nonNegativeNumber(opts.smoothing ?? 500, 'smoothing');
  const baselineOffsetM = positiveNumber(opts.baselineOffset ?? 500, 'baseline-offset', 'metres');
  const intersection = oneOf(opts.intersection ?? 'seaward', 'intersection', [
    'seaward',
    'landward',
  ] as const);
  const format = oneOf(opts.format ?? 'geojson', 'format', ['geojson', 'csv'] as const);
  const seaSideOpt = oneOf(opts.seaSide ?? 'auto', 'sea-side', ['auto', 'left', 'right'] as const);
  const placement = oneOf(opts.placement ?? 'onshore', 'placement', [
    'onshore',
    'offshore',
    'midshore',
  ] as const);
  const epsgOpt = opts.epsg === undefined ? null : metricEpsg(opts.epsg);
  if (opts.baseline && opts.transects) throw invalid('give either --baseline or --transects, not both');
  if (files.length === 0) throw invalid('no shoreline files given');
  checkOutputs(files, opts);

  // Read everything, and bring it to longitude/latitude first: the metric CRS depends on where the data are.
  const shorelineFiles = await Promise.all(files.map((f) => readGeoJson(f, 'shoreline')));
  const guideFile = opts.baseline
    ? await readGeoJson(opts.baseline, 'baseline')
    : opts.transects
      ? await readGeoJson(opts.transects, 'transects')
      : null;
  const epsg = epsgOpt ?? utmEpsgForLonLat(...centroidLonLat(shorelineFiles));
  const metric = createProjector(epsg);
  const toMetric = (c: LineCollection) => mapCollection(c, epsg, metric.fromLonLat);

  const shorelines = shorelinesFromFeatures(shorelineFiles.map(toMetric), uncertaintyM);
  validateShorelines(shorelines);
  const confidence = confidencePct / 100;

  const notes: string[] = [];
  const regression = regressionShortfall(shorelines.length);
  if (regression !== null) notes.push(regression);
  if (opts.zones !== undefined && shorelines.length < MIN_FORECAST_SHORELINES) {
    notes.push(
      `${opts.zones} has no forecasts or hazard zones: they need ${MIN_FORECAST_SHORELINES} or more shoreline ` +
        `dates, and there are ${shorelines.length}`,
    );
  }
  let transects: Transect[];
  let seaSide: Side | null = null;
  if (opts.transects && guideFile) {
    transects = transectsFromLines(allLines(toMetric(guideFile)));
  } else {
    let parts: LineXY[];
    if (guideFile) {
      parts = allLines(toMetric(guideFile));
      assertTransectCount(parts, spacingM, '--spacing');
      seaSide =
        seaSideOpt === 'auto'
          ? inferSeaSide(parts, shorelines, lengthM, spacingM, placement as BaselinePlacement)
          : seaSideOpt;
      // Shorelines from `tidemark extract` run with the sea on their right: against this baseline's sea side
      // they tell whether it was drawn where --placement says. Other shorelines may run either way.
      const against = fromExtract(shorelineFiles) ? shareFacingSeaLeft(shorelines, parts, seaSide) : null;
      if (against !== null && against > 0.5) {
        notes.push(
          `the baseline does not look ${placement}: ${Math.round(100 * against)} % of the extracted shorelines' ` +
            'length has the sea (on its right) where the baseline takes the land to be, so every rate would have ' +
            'the wrong sign; check --placement, or give --sea-side',
        );
      }
    } else {
      if (seaSideOpt === 'auto') {
        throw invalid(
          'without --baseline or --transects a baseline is generated from the earliest shoreline: give --sea-side ' +
            "left|right (the sea's side when walking along that shoreline's vertices) so it knows which way is land",
        );
      }
      const generated = generateBaseline(shorelines[0]!, {
        offsetM: baselineOffsetM,
        landSide: seaSideOpt === 'left' ? 'right' : 'left',
      });
      parts = generated.parts;
      seaSide = generated.seaSide;
      assertTransectCount(parts, spacingM, '--spacing');
    }
    transects = castTransects(parts, { spacingM, lengthM, seaSide, smoothingM, placement });
  }

  const results = computeRates(shorelines, transects, {
    intersection: intersection as IntersectionRule,
    confidence,
  });
  const rows = results.map((r) => {
    const [a, b] = transectEnds(r.transect);
    return { geometry: [metric.toLonLat(a), metric.toLonLat(b)] as [XY, XY], properties: rateProperties(r) };
  });
  const text = format === 'csv' ? toCsv(rows) : toGeoJson(rows);
  const outputs: [string, string][] = [];
  if (opts.zones !== undefined) outputs.push([opts.zones, zonesGeoJson(results, metric.toLonLat)]);
  if (opts.out !== undefined) outputs.push([opts.out, text]);
  writeFilesAtomic(outputs);
  if (opts.out === undefined) process.stdout.write(text);
  return {
    transects: results.length,
    shorelines: shorelines.length,
    epsg,
    seaSide,
    outPath: opts.out ?? null,
    notes,
  };
}

/** Whether every shoreline feature carries what `tidemark extract` writes (its scene and water index). */
function fromExtract(files: readonly LineCollection[]): boolean {
  return files.every((file) =>
    file.features.every(
      (f) => typeof f.properties.scene === 'string' && typeof f.properties.index === 'string',
    ),
  );
}

interface Row {
  geometry: [XY, XY];
  properties: RateProperties;
}

const roundDeg = (v: number) => Math.round(v * 1e9) / 1e9;

function toGeoJson(rows: Row[]): string {
  const features = rows.map((r) => ({
    type: 'Feature',
    id: r.properties.transect_id,
    geometry: { type: 'LineString', coordinates: r.geometry.map((p) => [roundDeg(p[0]), roundDeg(p[1])]) },
    properties: r.properties,
  }));
  return `${JSON.stringify({ type: 'FeatureCollection', features })}\n`;
}

function toCsv(rows: Row[]): string {
  const header = [...RATE_PROPERTY_NAMES, 'start_lon', 'start_lat', 'end_lon', 'end_lat'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const values = RATE_PROPERTY_NAMES.map((k) => {
      const v = r.properties[k];
      return v === null ? '' : String(v);
    });
    values.push(
      ...[r.geometry[0][0], r.geometry[0][1], r.geometry[1][0], r.geometry[1][1]].map((v) =>
        String(roundDeg(v)),
      ),
    );
    lines.push(values.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Checks --out and --zones before anything is read or computed: each must be writable, they must not be the
 * same file, and neither may be one of the inputs.
 */
function checkOutputs(files: readonly string[], opts: RatesOptions): void {
  const outputs: OutputTarget[] = [];
  if (opts.out !== undefined) outputs.push({ flag: '--out', path: opts.out });
  if (opts.zones !== undefined) outputs.push({ flag: '--zones', path: opts.zones });
  const inputs: InputFile[] = files.map((path) => ({ what: 'the shoreline file', path }));
  if (opts.baseline !== undefined) inputs.push({ what: '--baseline', path: opts.baseline });
  if (opts.transects !== undefined) inputs.push({ what: '--transects', path: opts.transects });
  checkOutputPaths(outputs, inputs);
}

/** Forecast lines, bands and hazard zones for 10 and 20 years, in EPSG:4326, with metric areas. */
function zonesGeoJson(results: readonly TransectResult[], toLonLat: (p: XY) => XY): string {
  const features: object[] = [];
  const deg = (p: XY) => {
    const q = toLonLat(p);
    return [roundDeg(q[0]), roundDeg(q[1])];
  };
  for (const horizonYr of [10, 20]) {
    const z = forecastZones(results, horizonYr);
    if (z.lines.length > 0) {
      features.push({
        type: 'Feature',
        properties: { kind: 'forecast_line', horizon_yr: horizonYr },
        geometry: { type: 'MultiLineString', coordinates: z.lines.map((l) => l.map(deg)) },
      });
    }
    for (const [kind, polygons] of [
      ['forecast_band', z.band],
      ['hazard_zone', z.hazard],
    ] as const) {
      if (polygons.length === 0) continue;
      features.push({
        type: 'Feature',
        properties: { kind, horizon_yr: horizonYr, area_m2: Math.round(planarAreaM2(polygons) * 100) / 100 },
        geometry: { type: 'MultiPolygon', coordinates: polygons.map((p) => p.map((ring) => ring.map(deg))) },
      });
    }
  }
  return `${JSON.stringify({ type: 'FeatureCollection', features })}\n`;
}

async function readGeoJson(path: string, what: string): Promise<LineCollection> {
  const json = await readJsonFile(path, what);
  const collection = readLineFeatures(json, path, what);
  if (collection.epsg === 4326) return collection;
  const projector = createProjector(collection.epsg);
  return mapCollection(collection, 4326, projector.toLonLat);
}

function centroidLonLat(collections: readonly LineCollection[]): [number, number] {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (const c of collections) {
    for (const f of c.features) {
      for (const line of f.lines) {
        for (const p of line) {
          sx += p[0];
          sy += p[1];
          n++;
        }
      }
    }
  }
  return [sx / n, sy / n];
}

function allLines(collection: LineCollection): LineXY[] {
  return collection.features.flatMap((f) => f.lines);
}

function invalid(message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', message);
}

function toNumber(value: string | number, name: string): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw invalid(`--${name} must be a number, got '${value}'`);
  return n;
}

function positiveNumber(value: string | number, name: string, unit: string): number {
  const n = toNumber(value, name);
  if (n <= 0) throw invalid(`--${name} must be a positive number of ${unit}, got ${n}`);
  return n;
}

function nonNegativeNumber(value: string | number, name: string): number {
  const n = toNumber(value, name);
  if (n < 0) throw invalid(`--${name} must be 0 or more metres, got ${n}`);
  return n;
}

function oneOf<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  }
  return value as T;
}

function metricEpsg(value: string | number): number {
  const epsg = toNumber(value, 'epsg');
  if (!Number.isInteger(epsg) || epsg <= 0) throw invalid(`--epsg must be an EPSG code, got ${value}`);
  // Web Mercator is in metres but stretches them by 1/cos(latitude): not for measuring.
  if (isGeographicEpsg(epsg) || epsg === 3857) {
    throw invalid(`--epsg must name a metric CRS with true distances (e.g. 32648), not EPSG:${epsg}`);
  }
  createProjector(epsg); // unsupported codes fail here, before any work
  return epsg;
}
