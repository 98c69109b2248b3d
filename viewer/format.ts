/** Number formatting for the panels: fixed decimals, a real minus sign, and the unit always written. */

const MINUS = '\u2212';

/** `value` with `decimals` decimals and a typographic minus ("−1.23"); "—" when there is no number. */
export function formatNumber(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toFixed(decimals);
  // -0.001 rounds to "0.00": no minus sign on a zero.
  const isZero = Number(text) === 0;
  return value < 0 && !isZero ? `${MINUS}${text}` : text;
}

/** Like formatNumber, with an explicit "+" on positive values (rates and changes read better signed). */
export function formatSigned(value: number | null | undefined, decimals: number): string {
  const text = formatNumber(value, decimals);
  if (text === '—' || text.startsWith(MINUS) || Number(text) === 0) return text;
  return `+${text}`;
}

/** A rate of shoreline change: "−1.23 m/yr" (negative = erosion, as in DSAS). */
export function formatRateMPerYr(value: number | null | undefined): string {
  const text = formatSigned(value, 2);
  return text === '—' ? text : `${text} m/yr`;
}

/** A rate with its half-width: "−1.23 ± 0.40 m/yr". */
export function formatRateWithCi(rate: number | null | undefined, ci: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  if (ci === null || ci === undefined || !Number.isFinite(ci)) return formatRateMPerYr(rate);
  return `${formatSigned(rate, 2)} ± ${formatNumber(ci, 2)} m/yr`;
}

/** A distance in metres, one decimal: "12.3 m". */
export function formatDistanceM(value: number | null | undefined, opts: { signed?: boolean } = {}): string {
  const text = opts.signed ? formatSigned(value, 1) : formatNumber(value, 1);
  return text === '—' ? text : `${text} m`;
}

/** An area given in m², shown in hectares: "1.23 ha". */
export function formatAreaHa(areaM2: number | null | undefined): string {
  if (areaM2 === null || areaM2 === undefined || !Number.isFinite(areaM2)) return '—';
  return `${formatNumber(areaM2 / 10_000, 2)} ha`;
}

/** A length in kilometres: "1.25 km". */
export function formatKm(value: number | null | undefined): string {
  const text = formatNumber(value, 2);
  return text === '—' ? text : `${text} km`;
}

/** A number of years, one decimal: "3.5 years". */
export function formatYears(value: number | null | undefined): string {
  const text = formatNumber(value, 1);
  return text === '—' ? text : `${text} years`;
}

/** A fraction 0–1 as a percentage: "42 %". */
export function formatPercent(fraction: number | null | undefined): string {
  const text = formatNumber(fraction === null || fraction === undefined ? fraction : fraction * 100, 0);
  return text === '—' ? text : `${text} %`;
}
