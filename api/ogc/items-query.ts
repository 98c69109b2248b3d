import { TidemarkError } from '../../common/errors.ts';
import type { Bbox, TimeInterval } from '../../store/features/feature-filter-sql.ts';
import type { FeatureCollectionInfo, QueryableInfo } from '../../store/features/feature-source.ts';
import { FEATURE_PAGE_MAX } from '../../store/features/query-features.ts';
import type { InvalidParam } from '../validate.ts';
import { parseBboxParam } from './bbox-param.ts';
import { parseDatetimeParam } from './datetime-param.ts';
import { accepted, type Parsed, refused } from './parsed-param.ts';

export const LIMIT_DEFAULT = 100;
/** Larger limits are not an error: they are served as this (OGC API Features §7.15.2). */
export const LIMIT_MAX = FEATURE_PAGE_MAX;

export type RawQuery = Record<string, string | string[] | undefined>;

/** A validated `/items` request. */
export interface ItemsQuery {
  /** After clamping to LIMIT_MAX. */
  limit: number;
  bbox?: Bbox;
  datetime?: TimeInterval;
  properties: Record<string, string | number>;
  after?: number;
  before?: number;
  /**
   * The request's filter parameters (bbox, datetime, property filters, f) as sent, to carry into the
   * self/next/prev links; `limit` is the effective one. Paging cursors are not included.
   */
  linkParams: Record<string, string>;
}

const DIGITS = /^\d+$/;
const INTEGER = /^-?\d+$/;

function parseLimit(raw: string): Parsed<number> {
  if (!DIGITS.test(raw)) return refused('must be a positive integer');
  // Compared as text-derived numbers: any run of digits beyond the maximum is clamped, not refused.
  const value = Number(raw);
  if (value < 1) return refused('must be at least 1');
  return accepted(Math.min(value, LIMIT_MAX));
}

function parseCursor(raw: string): Parsed<number> {
  const value = Number(raw);
  if (!DIGITS.test(raw) || !Number.isSafeInteger(value))
    return refused('must be a feature id (an integer ≥ 0)');
  return accepted(value);
}

function parseFormat(raw: string): Parsed<string> {
  return raw === 'json' || raw === 'geojson' ? accepted(raw) : refused('must be json or geojson');
}

/** A property filter value, checked against the queryable's type, enum, pattern and range. */
export function parseQueryableValue(queryable: QueryableInfo, raw: string): Parsed<string | number> {
  if (queryable.type === 'integer') {
    const value = Number(raw);
    if (!INTEGER.test(raw) || !Number.isSafeInteger(value)) return refused('must be an integer');
    if (queryable.minimum !== undefined && value < queryable.minimum) {
      return refused(`must be at least ${queryable.minimum}`);
    }
    if (queryable.maximum !== undefined && value > queryable.maximum) {
      return refused(`must be at most ${queryable.maximum}`);
    }
    return accepted(value);
  }
  if (raw === '') return refused('must not be empty');
  // PostgreSQL text cannot hold U+0000, so no stored value has one.
  if (raw.includes('\0')) return refused('must not contain the NUL character (%00)');
  if (queryable.enum !== undefined && !queryable.enum.includes(raw)) {
    return refused(`must be one of ${queryable.enum.join(', ')}`);
  }
  if (queryable.maxLength !== undefined && raw.length > queryable.maxLength) {
    return refused(`must be at most ${queryable.maxLength} characters`);
  }
  if (queryable.pattern !== undefined && !new RegExp(queryable.pattern).test(raw)) {
    return refused(`must match ${queryable.pattern}`);
  }
  return accepted(raw);
}

/** Throws the 400 for a list of bad parameters, in the same shape as `validate()` (RFC 9457 invalid-params). */
export function throwInvalidParams(invalidParams: InvalidParam[], what = 'query'): never {
  const summary = invalidParams.map((p) => `${p.name}: ${p.reason}`).join('; ');
  throw new TidemarkError('INVALID_INPUT', `Invalid ${what}: ${summary}`, { details: { invalidParams } });
}

/**
 * Validates the query of `/collections/{id}/items`: limit, bbox, datetime, the keyset cursors after/before,
 * f, and the collection's property filters. Unknown, repeated or malformed parameters are a 400 that lists
 * every problem at once.
 */
export function parseItemsQuery(info: FeatureCollectionInfo, query: RawQuery): ItemsQuery {
  const invalid: InvalidParam[] = [];
  const result: ItemsQuery = { limit: LIMIT_DEFAULT, properties: {}, linkParams: {} };
  for (const [name, rawValue] of Object.entries(query)) {
    if (rawValue === undefined) continue;
    const known =
      ['limit', 'bbox', 'datetime', 'after', 'before', 'f'].includes(name) ||
      Object.hasOwn(info.queryables, name);
    if (!known) {
      invalid.push({ name, reason: 'unknown parameter' });
      continue;
    }
    if (typeof rawValue !== 'string') {
      invalid.push({ name, reason: 'must be given once' });
      continue;
    }
    const check = <T>(parsed: Parsed<T>, keep: (value: T) => void) => {
      if (parsed.ok) keep(parsed.value);
      else invalid.push({ name, reason: parsed.reason });
    };
    switch (name) {
      case 'limit':
        check(parseLimit(rawValue), (v) => {
          result.limit = v;
        });
        break;
      case 'bbox':
        check(parseBboxParam(rawValue), (v) => {
          result.bbox = v;
          result.linkParams.bbox = rawValue;
        });
        break;
      case 'datetime':
        check(parseDatetimeParam(rawValue), (v) => {
          result.datetime = v;
          result.linkParams.datetime = rawValue;
        });
        break;
      case 'after':
      case 'before':
        check(parseCursor(rawValue), (v) => {
          result[name] = v;
        });
        break;
      case 'f':
        check(parseFormat(rawValue), (v) => {
          result.linkParams.f = v;
        });
        break;
      default:
        check(parseQueryableValue(info.queryables[name]!, rawValue), (v) => {
          result.properties[name] = v;
          result.linkParams[name] = rawValue;
        });
    }
  }
  if (result.after !== undefined && result.before !== undefined) {
    invalid.push({ name: 'after, before', reason: 'give at most one of after and before' });
  }
  if (invalid.length > 0) throwInvalidParams(invalid);
  return result;
}

/**
 * Validates the query of the other OGC endpoints, which take only `f`: returns the format asked for, or
 * undefined when none was.
 */
export function parseFormatQuery<F extends string>(query: RawQuery, formats: readonly F[]): F | undefined {
  const invalid: InvalidParam[] = [];
  let format: F | undefined;
  for (const [name, rawValue] of Object.entries(query)) {
    if (rawValue === undefined) continue;
    if (name !== 'f') invalid.push({ name, reason: 'unknown parameter' });
    else if (typeof rawValue !== 'string') invalid.push({ name, reason: 'must be given once' });
    else if (!(formats as readonly string[]).includes(rawValue)) {
      invalid.push({ name, reason: `must be one of ${formats.join(', ')}` });
    } else format = rawValue as F;
  }
  if (invalid.length > 0) throwInvalidParams(invalid);
  return format;
}
