import { formatNumber } from './format.ts';
import type { TransectSeries } from './transect-api.ts';

/**
 * The transect chart as geometry: axes, ticks and SVG path strings in pixel space. Pure (no DOM), so the
 * arithmetic is tested in Node; transect-panel.ts turns it into SVG elements.
 */
export interface ChartModel {
  widthPx: number;
  heightPx: number;
  plot: { left: number; top: number; right: number; bottom: number };
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  /** Observed positions with their uncertainty as an error bar (yLow/yHigh equal y when unknown). */
  points: { x: number; y: number; yLow: number; yHigh: number; label: string }[];
  /** The LRR fit over the observed years, and its confidence band (band of the fitted mean). */
  lrrLine: string | null;
  lrrBand: string | null;
  /** Kalman forecast points with ±1σ, the line through them from the last observation, and the 1σ band. */
  forecastPoints: { x: number; y: number; yLow: number; yHigh: number; label: string }[];
  forecastLine: string | null;
  forecastBand: string | null;
}

export interface ChartSize {
  widthPx: number;
  heightPx: number;
}

const MARGIN = { left: 52, right: 12, top: 10, bottom: 28 };
const BAND_SAMPLES = 24;

/** "Nice" tick values (1, 2 or 5 × 10^k apart) covering [min, max] with at most about `count` ticks. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min) || count < 1) return [min];
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Math.round(v / step) * step);
  }
  return ticks;
}

/** Half-width of the LRR fit's confidence band at `t`: ci·√(Sxx/n + (t − t̄)²), from the slope's CI. */
export function lrrBandHalfWidthM(ciMPerYr: number, years: readonly number[], t: number): number {
  const n = years.length;
  const mean = years.reduce((a, b) => a + b, 0) / n;
  const sxx = years.reduce((a, y) => a + (y - mean) ** 2, 0);
  return ciMPerYr * Math.sqrt(sxx / n + (t - mean) ** 2);
}

function pathOf(points: readonly [number, number][]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
}

/** A closed band between an upper and a lower edge given left to right. */
function bandOf(upper: readonly [number, number][], lower: readonly [number, number][]): string {
  return `${pathOf([...upper, ...[...lower].reverse()])}Z`;
}

/** Builds the chart of a transect's series: positions, LRR with its band, Kalman forecast with its 1σ. */
export function buildTransectChart(series: TransectSeries, size: ChartSize): ChartModel | null {
  const obs = series.observations;
  if (
    obs.length === 0 ||
    !(size.widthPx > MARGIN.left + MARGIN.right) ||
    !(size.heightPx > MARGIN.top + MARGIN.bottom)
  ) {
    return null;
  }
  const years = obs.map((o) => o.decimalYear);
  const lrr = series.lrr;
  const fitAt = (t: number) => (lrr ? lrr.interceptM + lrr.rateMPerYr * t : Number.NaN);
  const band = (t: number) =>
    lrr && lrr.ciMPerYr !== null && obs.length >= 3 ? lrrBandHalfWidthM(lrr.ciMPerYr, years, t) : 0;

  // Data domain: every point, error bar, fit band and forecast band must fit.
  let tMin = Math.min(...years);
  let tMax = Math.max(...years, ...series.forecast.map((f) => f.decimalYear));
  const ys: number[] = [];
  for (const o of obs) ys.push(o.distanceM - (o.uncertaintyM ?? 0), o.distanceM + (o.uncertaintyM ?? 0));
  const tFirst = Math.min(...years);
  const tLast = Math.max(...years);
  if (lrr) {
    for (const t of [tFirst, tLast]) ys.push(fitAt(t) - band(t), fitAt(t) + band(t));
  }
  for (const f of series.forecast) ys.push(f.distanceM - f.sigmaM, f.distanceM + f.sigmaM);
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  if (yMax - yMin < 1) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const yPad = (yMax - yMin) * 0.06;
  yMin -= yPad;
  yMax += yPad;
  if (tMax - tMin < 1) {
    tMin -= 0.5;
    tMax += 0.5;
  }
  const tPad = (tMax - tMin) * 0.03;
  tMin -= tPad;
  tMax += tPad;

  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: size.widthPx - MARGIN.right,
    bottom: size.heightPx - MARGIN.bottom,
  };
  const sx = (t: number) => plot.left + ((t - tMin) / (tMax - tMin)) * (plot.right - plot.left);
  const sy = (d: number) => plot.bottom - ((d - yMin) / (yMax - yMin)) * (plot.bottom - plot.top);

  const xTicks = niceTicks(tMin, tMax, Math.max(2, Math.floor((plot.right - plot.left) / 60)))
    .filter((t) => Number.isInteger(t))
    .map((t) => ({ x: sx(t), label: String(t) }));
  const yTicks = niceTicks(yMin, yMax, 5).map((d) => ({
    y: sy(d),
    label: formatNumber(d, Math.abs(yMax - yMin) < 10 ? 1 : 0),
  }));

  const points = obs.map((o) => ({
    x: sx(o.decimalYear),
    y: sy(o.distanceM),
    yLow: sy(o.distanceM - (o.uncertaintyM ?? 0)),
    yHigh: sy(o.distanceM + (o.uncertaintyM ?? 0)),
    label: `${o.date}: ${formatNumber(o.distanceM, 1)} m`,
  }));

  let lrrLine: string | null = null;
  let lrrBand: string | null = null;
  if (lrr) {
    lrrLine = pathOf([
      [sx(tFirst), sy(fitAt(tFirst))],
      [sx(tLast), sy(fitAt(tLast))],
    ]);
    if (band(tFirst) > 0) {
      const samples = Array.from(
        { length: BAND_SAMPLES + 1 },
        (_, i) => tFirst + ((tLast - tFirst) * i) / BAND_SAMPLES,
      );
      lrrBand = bandOf(
        samples.map((t) => [sx(t), sy(fitAt(t) + band(t))]),
        samples.map((t) => [sx(t), sy(fitAt(t) - band(t))]),
      );
    }
  }

  const forecastPoints = series.forecast.map((f) => ({
    x: sx(f.decimalYear),
    y: sy(f.distanceM),
    yLow: sy(f.distanceM - f.sigmaM),
    yHigh: sy(f.distanceM + f.sigmaM),
    label: `${f.horizonYears} y (${f.date}): ${formatNumber(f.distanceM, 1)} ± ${formatNumber(f.sigmaM, 1)} m`,
  }));
  let forecastLine: string | null = null;
  let forecastBand: string | null = null;
  if (series.forecast.length > 0) {
    // The forecast starts from the last shoreline (the Kalman filter runs up to its date).
    const last = obs[obs.length - 1]!;
    forecastLine = pathOf([
      [sx(last.decimalYear), sy(last.distanceM)],
      ...forecastPoints.map((p): [number, number] => [p.x, p.y]),
    ]);
    if (series.forecast.length >= 2) {
      forecastBand = bandOf(
        series.forecast.map((f) => [sx(f.decimalYear), sy(f.distanceM + f.sigmaM)]),
        series.forecast.map((f) => [sx(f.decimalYear), sy(f.distanceM - f.sigmaM)]),
      );
    }
  }

  return {
    widthPx: size.widthPx,
    heightPx: size.heightPx,
    plot,
    xTicks,
    yTicks,
    points,
    lrrLine,
    lrrBand,
    forecastPoints,
    forecastLine,
    forecastBand,
  };
}
