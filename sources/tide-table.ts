import { readFile } from 'node:fs/promises';
import { TidemarkError } from '../common/errors.ts';

/** Tide heights over time, sorted by time, from a `--tides tides.csv` file. */
export interface TideTable {
  /** Epoch milliseconds, strictly increasing. */
  readonly timesMs: Float64Array;
  readonly heightsM: Float64Array;
  /** Where the table came from, for messages. */
  readonly source: string;
}

/** Rows further apart than this are a gap: a tide between them would be a guess. */
export const DEFAULT_MAX_GAP_MS = 3 * 3600_000;

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

function invalid(source: string, line: number, message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', `${source} line ${line}: ${message}`, {
    details: { source, line },
  });
}

/** Epoch ms of an ISO 8601 date-time; no zone means UTC (tide tables for satellites are kept in UTC). */
function parseDateTime(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k] ?? 0));
  const utc = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, Number((m[7] ?? '0').padEnd(3, '0')));
  const check = new Date(Date.UTC(y!, mo! - 1, d!));
  if (check.getUTCMonth() !== mo! - 1 || check.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) {
    return null;
  }
  const zone = m[8];
  if (!zone || zone === 'Z') return utc;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  return utc - offsetMin * 60_000;
}

/**
 * Parses a tide CSV: one `date-time,height_m` row per line (comma, semicolon or tab), an optional header
 * row, `#` comments and blank lines ignored. Heights are metres on the table's datum. Every malformed row,
 * a repeated or out-of-order time, and an empty table are INVALID_INPUT errors naming the line.
 */
export function parseTideCsv(text: string, source = 'tide table'): TideTable {
  const times: number[] = [];
  const heights: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length < 2) {
      throw invalid(source, lineNo, `expected "date-time,height_m", got "${line}"`);
    }
    const t = parseDateTime(cells[0]!);
    const hText = cells[1]!;
    const h = hText === '' ? Number.NaN : Number(hText);
    if (t === null && times.length === 0 && !Number.isFinite(h)) return; // the header row
    if (t === null) throw invalid(source, lineNo, `"${cells[0]}" is not an ISO 8601 date-time`);
    if (!Number.isFinite(h)) throw invalid(source, lineNo, `height "${hText}" is not a number of metres`);
    if (Math.abs(h) > 20) throw invalid(source, lineNo, `height ${h} m is not a plausible tide (|h| ≤ 20 m)`);
    const previous = times.at(-1);
    if (previous !== undefined && t <= previous) {
      throw invalid(
        source,
        lineNo,
        `${cells[0]} is ${t === previous ? 'repeated' : 'earlier than the row before'}: times must increase`,
      );
    }
    times.push(t);
    heights.push(h);
  });
  if (times.length === 0) {
    throw new TidemarkError('INVALID_INPUT', `${source} holds no tide rows (expected "date-time,height_m")`);
  }
  return { timesMs: Float64Array.from(times), heightsM: Float64Array.from(heights), source };
}

/** Reads and parses a tide CSV file; a missing file is NOT_FOUND. */
export async function readTideTable(path: string): Promise<TideTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TidemarkError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT',
      `cannot read tide table ${path}: ${code ?? String(err)}`,
    );
  }
  return parseTideCsv(text, path);
}

/**
 * The tide at an instant, linearly interpolated between the two rows around it; null when the instant lies
 * outside the table or inside a gap longer than `maxGapMs` (callers gather those scenes into one error).
 */
export function tideAt(table: TideTable, epochMs: number, maxGapMs = DEFAULT_MAX_GAP_MS): number | null {
  const { timesMs, heightsM } = table;
  const n = timesMs.length;
  if (!Number.isFinite(epochMs) || epochMs < timesMs[0]! || epochMs > timesMs[n - 1]!) return null;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (timesMs[mid]! <= epochMs) lo = mid;
    else hi = mid;
  }
  const t0 = timesMs[lo]!;
  const t1 = timesMs[hi]!;
  if (epochMs === t0) return heightsM[lo]!;
  if (epochMs === t1) return heightsM[hi]!;
  if (t1 - t0 > maxGapMs) return null;
  const f = (epochMs - t0) / (t1 - t0);
  return heightsM[lo]! + f * (heightsM[hi]! - heightsM[lo]!);
}

/**
 * Tides for a list of scenes. Throws one INVALID_INPUT error naming every scene the table does not cover,
 * so a correction or filter never silently runs on part of a series.
 */
export function tidesForScenes(
  table: TideTable,
  scenes: readonly { scene: string; acquiredAtMs: number }[],
  maxGapMs = DEFAULT_MAX_GAP_MS,
): number[] {
  const out: number[] = [];
  const missing: string[] = [];
  for (const s of scenes) {
    const h = tideAt(table, s.acquiredAtMs, maxGapMs);
    if (h === null) missing.push(s.scene);
    else out.push(h);
  }
  if (missing.length > 0) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `${table.source} has no tide for ${missing.length} scene(s): ${missing.join(', ')}`,
      { details: { scenesWithoutTide: missing } },
    );
  }
  return out;
}
