import type { TimeInterval } from '../../store/features/feature-filter-sql.ts';
import { accepted, type Parsed, refused } from './parsed-param.ts';

// RFC 3339 full-date, or date-time with a zone (Z or ±hh:mm); fractions of a second of any length.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2})))?$/;
const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * One RFC 3339 value as the UTC instants it covers: a date-time is one instant; a full date is its whole UTC
 * day. Null when the text is not RFC 3339 or names an impossible date or time.
 */
function parseRfc3339(text: string): { startMs: number; endMs: number } | null {
  // GDAL's OAPIF driver (3.6 and earlier, SerializeDateTime in ogroapifdriver.cpp) turns a date-only
  // `-where "date >= '2018-01-01'"` into `2018-01-01T`. It is unambiguous, so it is read as that date.
  const m = RFC3339.exec(/^\d{4}-\d{2}-\d{2}[Tt]$/.test(text) ? text.slice(0, 10) : text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const dayMs = Date.UTC(year, month - 1, day);
  // Date.UTC maps years 0–99 to 1900–1999.
  const startOfDay = year < 100 ? new Date(dayMs).setUTCFullYear(year) : dayMs;
  if (m[4] === undefined) return { startMs: startOfDay, endMs: startOfDay + DAY_MS - 1 };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  // Leap seconds (60) are refused: neither our data nor JavaScript dates can hold them.
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offsetHours = m[9] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[9] === undefined ? 0 : Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const sign = m[9] === '-' ? -1 : 1;
  const fractionMs = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const instant =
    startOfDay +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    fractionMs -
    sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return { startMs: instant, endMs: instant };
}

function toInstant(ms: number): string | null {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return null;
  const year = date.getUTCFullYear();
  // PostgreSQL has no year 0 (1 BC): its timestamps go from 4713 BC, which ISO 8601 writes as -4712.
  if (year < 1 || year > 9999) return null;
  return date.toISOString();
}

const OPEN = new Set(['..', '']);

/**
 * `datetime` (OGC API Features §7.15.4): an RFC 3339 date or date-time, or an interval `start/end` whose ends
 * may be open (`..` or empty). Returns the closed interval of UTC instants it covers; a full date covers its
 * whole UTC day, so `2020-03-05` matches features dated that day.
 */
export function parseDatetimeParam(raw: string): Parsed<TimeInterval> {
  const parts = raw.split('/');
  if (parts.length > 2) return refused('must be an RFC 3339 date-time or an interval start/end');
  const [first, second] = parts as [string, string | undefined];
  if (second === undefined) {
    const value = parseRfc3339(first);
    const start = value && toInstant(value.startMs);
    const end = value && toInstant(value.endMs);
    if (!start || !end) {
      return refused('must be an RFC 3339 date or date-time, e.g. 2020-03-05 or 2020-03-05T03:25:00Z');
    }
    return accepted({ start, end });
  }
  let start: string | null = null;
  let end: string | null = null;
  let startMs = Number.NEGATIVE_INFINITY;
  let endMs = Number.POSITIVE_INFINITY;
  if (!OPEN.has(first)) {
    const value = parseRfc3339(first);
    start = value && toInstant(value.startMs);
    if (!value || !start) return refused(`interval start '${first}' is not an RFC 3339 date or date-time`);
    startMs = value.startMs;
  }
  if (!OPEN.has(second)) {
    const value = parseRfc3339(second);
    end = value && toInstant(value.endMs);
    if (!value || !end) return refused(`interval end '${second}' is not an RFC 3339 date or date-time`);
    endMs = value.endMs;
  }
  if (startMs > endMs) return refused('the interval start is after its end');
  return accepted({ start, end });
}
