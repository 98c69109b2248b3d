import { definitionList } from './details-panel.ts';
import { rateClassName } from './feature-description.ts';
import { formatDistanceM, formatNumber, formatRateMPerYr, formatRateWithCi } from './format.ts';
import { FORECAST_COLOR } from './palette.ts';
import type { TransectSeries } from './transect-api.ts';
import { buildTransectChart, type ChartModel } from './transect-chart.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** The chart's drawing size; CSS scales it to the panel width (the viewBox keeps proportions). */
const CHART_SIZE = { widthPx: 360, heightPx: 220 };
const POINT_COLOR = '#1f2937';
const LRR_COLOR = '#2563eb';

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  children: (SVGElement | string)[] = [],
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child);
  return el;
}

function errorBar(x: number, yLow: number, yHigh: number, color: string): SVGElement {
  return svg('path', {
    d: `M${x.toFixed(1)},${yLow.toFixed(1)}V${yHigh.toFixed(1)}M${(x - 3).toFixed(1)},${yLow.toFixed(1)}h6M${(x - 3).toFixed(1)},${yHigh.toFixed(1)}h6`,
    stroke: color,
    'stroke-width': 1,
    fill: 'none',
  });
}

/** The chart model as an SVG element with axes, gridlines and a title per point. */
export function renderChart(model: ChartModel, description: string): SVGSVGElement {
  const { plot } = model;
  const root = svg('svg', {
    viewBox: `0 0 ${model.widthPx} ${model.heightPx}`,
    class: 'transect-chart',
    role: 'img',
    'aria-label': description,
  });
  const grid = svg('g', { class: 'grid' });
  for (const t of model.yTicks) {
    grid.append(
      svg('line', { x1: plot.left, x2: plot.right, y1: t.y.toFixed(1), y2: t.y.toFixed(1) }),
      svg('text', { x: plot.left - 6, y: (t.y + 4).toFixed(1), 'text-anchor': 'end' }, [t.label]),
    );
  }
  for (const t of model.xTicks) {
    grid.append(
      svg('line', { x1: t.x.toFixed(1), x2: t.x.toFixed(1), y1: plot.top, y2: plot.bottom }),
      svg('text', { x: t.x.toFixed(1), y: plot.bottom + 16, 'text-anchor': 'middle' }, [t.label]),
    );
  }
  grid.append(
    svg(
      'text',
      {
        x: 12,
        y: (plot.top + plot.bottom) / 2,
        transform: `rotate(-90 12 ${(plot.top + plot.bottom) / 2})`,
        'text-anchor': 'middle',
      },
      ['Distance from baseline (m)'],
    ),
  );
  root.append(grid);
  if (model.lrrBand)
    root.append(
      svg('path', { d: model.lrrBand, fill: LRR_COLOR, 'fill-opacity': 0.15, 'data-part': 'lrr-band' }),
    );
  if (model.forecastBand) {
    root.append(
      svg('path', {
        d: model.forecastBand,
        fill: FORECAST_COLOR,
        'fill-opacity': 0.18,
        'data-part': 'forecast-band',
      }),
    );
  }
  if (model.lrrLine)
    root.append(
      svg('path', {
        d: model.lrrLine,
        stroke: LRR_COLOR,
        'stroke-width': 2,
        fill: 'none',
        'data-part': 'lrr-line',
      }),
    );
  if (model.forecastLine) {
    root.append(
      svg('path', {
        d: model.forecastLine,
        stroke: FORECAST_COLOR,
        'stroke-width': 1.5,
        'stroke-dasharray': '5 3',
        fill: 'none',
        'data-part': 'forecast-line',
      }),
    );
  }
  for (const p of model.points) {
    const g = svg('g', { 'data-part': 'observation' }, [svg('title', {}, [p.label])]);
    if (p.yHigh !== p.yLow) g.append(errorBar(p.x, p.yLow, p.yHigh, POINT_COLOR));
    g.append(svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 3.5, fill: POINT_COLOR }));
    root.append(g);
  }
  for (const p of model.forecastPoints) {
    root.append(
      svg('g', { 'data-part': 'forecast' }, [
        svg('title', {}, [p.label]),
        errorBar(p.x, p.yLow, p.yHigh, FORECAST_COLOR),
        svg('rect', {
          x: (p.x - 3.5).toFixed(1),
          y: (p.y - 3.5).toFixed(1),
          width: 7,
          height: 7,
          fill: FORECAST_COLOR,
        }),
      ]),
    );
  }
  root.append(
    svg('rect', {
      x: plot.left,
      y: plot.top,
      width: plot.right - plot.left,
      height: plot.bottom - plot.top,
      class: 'frame',
    }),
  );
  return root;
}

function chartKey(): HTMLElement {
  const key = document.createElement('ul');
  key.className = 'chart-key';
  key.setAttribute('aria-hidden', 'true');
  for (const [cls, text] of [
    ['obs', 'Shoreline position (± uncertainty)'],
    ['lrr', 'LRR fit and confidence band'],
    ['forecast', 'Kalman forecast ±1σ'],
  ] as const) {
    const li = document.createElement('li');
    li.className = `key-${cls}`;
    li.textContent = text;
    key.append(li);
  }
  return key;
}

/** The transect panel's body: chart, DSAS statistics with units, and the forecast table. */
export function renderTransectDetails(series: TransectSeries): Node[] {
  const nodes: Node[] = [];
  const s = series.stats;
  const lrr = series.lrr;
  const period = s.dateFirst && s.dateLast ? `${s.dateFirst} to ${s.dateLast}` : 'no dated positions';
  const description =
    `Distance from the baseline of transect ${series.transectNo} over time: ${series.observations.length} ` +
    `positions, ${period}` +
    (lrr ? `, linear regression rate ${formatRateMPerYr(lrr.rateMPerYr)}` : '') +
    (series.forecast.length > 0
      ? `, with a ${series.forecast.map((f) => f.horizonYears).join(' and ')} year forecast`
      : '');
  const model = buildTransectChart(series, CHART_SIZE);
  if (model) {
    nodes.push(renderChart(model, description), chartKey());
  } else {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = 'No shoreline crosses this transect.';
    nodes.push(p);
  }

  const confidence = lrr?.confidencePct ?? series.wlr?.confidencePct ?? null;
  const ciLabel = confidence === null ? 'CI' : `${formatNumber(confidence, 0)} % CI`;
  nodes.push(
    definitionList([
      {
        stat: 'lrr',
        label: 'LRR (linear regression rate)',
        value: formatRateMPerYr(lrr?.rateMPerYr),
        raw: lrr?.rateMPerYr ?? null,
      },
      {
        stat: 'lrr-ci',
        label: `LRR ${ciLabel}`,
        value: lrr?.ciMPerYr == null ? '—' : `± ${formatNumber(lrr.ciMPerYr, 2)} m/yr`,
      },
      { stat: 'lrr-r2', label: 'LRR R²', value: formatNumber(lrr?.r2, 2) },
      {
        stat: 'wlr',
        label: 'WLR (weighted linear regression)',
        value: formatRateWithCi(series.wlr?.rateMPerYr, series.wlr?.ciMPerYr),
        raw: series.wlr?.rateMPerYr ?? null,
      },
      {
        stat: 'epr',
        label: 'EPR (end point rate)',
        value: formatRateWithCi(s.eprMPerYr, s.eprUncMPerYr),
        raw: s.eprMPerYr,
      },
      {
        stat: 'nsm',
        label: 'NSM (net shoreline movement)',
        value: formatDistanceM(s.nsmM, { signed: true }),
        raw: s.nsmM,
      },
      { stat: 'sce', label: 'SCE (shoreline change envelope)', value: formatDistanceM(s.sceM) },
      { stat: 'class', label: 'Rate class', value: rateClassName(s.rateClass) ?? '—' },
      { stat: 'n', label: 'Shorelines', value: s.n === null ? '—' : `${s.n} (${period})` },
    ]),
  );

  if (series.forecast.length > 0) {
    const h = document.createElement('h3');
    h.textContent = 'Kalman forecast';
    nodes.push(
      h,
      definitionList(
        series.forecast.map((f) => ({
          stat: `forecast-${f.horizonYears}`,
          label: `${f.horizonYears} years (${f.date})`,
          value: `${formatDistanceM(f.distanceM)} ± ${formatDistanceM(f.sigmaM)} (1σ)`,
          raw: f.distanceM,
        })),
      ),
    );
  }
  const note = document.createElement('p');
  note.className = 'muted small';
  note.textContent = 'Distances from the baseline, seaward positive; negative rates are erosion.';
  nodes.push(note);
  return nodes;
}
