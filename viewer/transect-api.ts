import {
  asRecord,
  getJson,
  numberOrNull,
  requiredNumber,
  requiredString,
  stringOrNull,
} from './http-json.ts';

/** One shoreline position on the transect: distance from the baseline, seaward positive. */
export interface TransectObservation {
  date: string;
  decimalYear: number;
  distanceM: number;
  uncertaintyM: number | null;
}

/** A regression of distance on time, d = interceptM + rateMPerYr × decimalYear (LRR or WLR). */
export interface RegressionFit {
  rateMPerYr: number;
  /** Distance at decimal year 0 (store/migrations/0002-analysis.ts). */
  interceptM: number;
  r2: number | null;
  /** Half-width of the rate's confidence interval, m/yr, at confidencePct. */
  ciMPerYr: number | null;
  confidencePct: number | null;
}

/** A Kalman forecast position with its 1σ, `horizonYears` after the last shoreline. */
export interface ForecastPoint {
  horizonYears: number;
  decimalYear: number;
  date: string;
  distanceM: number;
  sigmaM: number;
}

/** `GET /api/transects/{id}/series` (api/routes/transects.ts), reduced to what the panel shows. */
export interface TransectSeries {
  id: number;
  transectNo: number;
  site: string;
  /** The transect line's [longitude, latitude] vertices, or null when the API sent no LineString. */
  line: [number, number][] | null;
  observations: TransectObservation[];
  stats: {
    n: number | null;
    dateFirst: string | null;
    dateLast: string | null;
    nsmM: number | null;
    sceM: number | null;
    eprMPerYr: number | null;
    eprUncMPerYr: number | null;
    rateClass: string | null;
  };
  lrr: RegressionFit | null;
  wlr: RegressionFit | null;
  forecast: ForecastPoint[];
}

function parseFit(json: unknown, what: string): RegressionFit | null {
  if (json === null || json === undefined) return null;
  const f = asRecord(json, what);
  return {
    rateMPerYr: requiredNumber(f, 'rateMPerYr', what),
    interceptM: requiredNumber(f, 'interceptM', what),
    r2: numberOrNull(f, 'r2', what),
    ciMPerYr: numberOrNull(f, 'ciMPerYr', what),
    confidencePct: numberOrNull(f, 'confidencePct', what),
  };
}

/** A GeoJSON LineString's coordinates, or null for anything else (the line only helps to show the transect). */
function parseLine(geometry: unknown): [number, number][] | null {
  if (typeof geometry !== 'object' || geometry === null) return null;
  const g = geometry as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'LineString' || !Array.isArray(g.coordinates) || g.coordinates.length < 2) return null;
  const line: [number, number][] = [];
  for (const p of g.coordinates) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return null;
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return null;
    line.push([p[0], p[1]]);
  }
  return line;
}

function parseList<T>(value: unknown, what: string, parse: (item: Record<string, unknown>) => T): T[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value.map((item, i) => parse(asRecord(item, `${what}[${i}]`)));
}

export function parseTransectSeries(json: unknown): TransectSeries {
  const body = asRecord(json, 'transect series');
  const transect = asRecord(body.transect, 'transect');
  const stats = asRecord(body.stats, 'stats');
  const observations = parseList(body.observations, 'observations', (o) => ({
    date: requiredString(o, 'date', 'observation'),
    decimalYear: requiredNumber(o, 'decimalYear', 'observation'),
    distanceM: requiredNumber(o, 'distanceM', 'observation'),
    uncertaintyM: numberOrNull(o, 'uncertaintyM', 'observation'),
  })).sort((a, b) => a.decimalYear - b.decimalYear);
  const forecast = parseList(body.forecast ?? [], 'forecast', (f) => ({
    horizonYears: requiredNumber(f, 'horizonYears', 'forecast'),
    decimalYear: requiredNumber(f, 'decimalYear', 'forecast'),
    date: requiredString(f, 'date', 'forecast'),
    distanceM: requiredNumber(f, 'distanceM', 'forecast'),
    sigmaM: requiredNumber(f, 'sigmaM', 'forecast'),
  })).sort((a, b) => a.horizonYears - b.horizonYears);
  for (const f of forecast) {
    if (f.sigmaM < 0) throw new Error('forecast.sigmaM is negative');
  }
  return {
    id: requiredNumber(transect, 'id', 'transect'),
    transectNo: requiredNumber(transect, 'transectNo', 'transect'),
    site: requiredString(transect, 'site', 'transect'),
    line: parseLine(transect.geometry),
    observations,
    stats: {
      n: numberOrNull(stats, 'n', 'stats'),
      dateFirst: stringOrNull(stats, 'dateFirst', 'stats'),
      dateLast: stringOrNull(stats, 'dateLast', 'stats'),
      nsmM: numberOrNull(stats, 'nsmM', 'stats'),
      sceM: numberOrNull(stats, 'sceM', 'stats'),
      eprMPerYr: numberOrNull(stats, 'eprMPerYr', 'stats'),
      eprUncMPerYr: numberOrNull(stats, 'eprUncMPerYr', 'stats'),
      rateClass: stringOrNull(stats, 'rateClass', 'stats'),
    },
    lrr: parseFit(body.lrr, 'lrr'),
    wlr: parseFit(body.wlr, 'wlr'),
    forecast,
  };
}

export async function fetchTransectSeries(id: number, signal?: AbortSignal): Promise<TransectSeries> {
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`not a transect id: ${String(id)}`);
  return parseTransectSeries(await getJson(`api/transects/${id}/series`, signal ? { signal } : {}));
}
