import { TidemarkError } from '../../common/errors.ts';

const ISO_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/**
 * Decimal year of an instant: year + (time since 1 January 00:00 UTC) / (length of that year). Leap years
 * count 366 days, so 2020-07-02T00:00Z is 2020 + 183/366 = 2020.5.
 */
export function decimalYearOfTime(epochMs: number): number {
  const year = new Date(epochMs).getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  return year + (epochMs - start) / (end - start);
}

/**
 * Parses a shoreline date into a decimal year. Accepts ISO 8601 dates and date-times ("2019-03-14",
 * "2019-03-14T03:25:00Z", "2019"), or a number that already is a decimal year (historic DSAS shorelines are
 * often dated that way, e.g. 1859.9). Anything else is an INVALID_INPUT error naming the value.
 */
export function parseDecimalYear(value: unknown, what = 'date'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 1000 || value > 3000) {
      throw new TidemarkError(
        'INVALID_INPUT',
        `${what} ${value} is not a plausible decimal year (1000–3000)`,
      );
    }
    return value;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${what} is missing (expected an ISO 8601 date such as 2019-03-14)`,
    );
  }
  const m = ISO_DATE.exec(value.trim());
  if (!m)
    throw new TidemarkError('INVALID_INPUT', `${what} '${value}' is not an ISO 8601 date such as 2019-03-14`);
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fractionMs = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw new TidemarkError('INVALID_INPUT', `${what} '${value}' is not a valid calendar date`);
  }
  let epochMs = Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    epochMs -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return decimalYearOfTime(epochMs);
}
