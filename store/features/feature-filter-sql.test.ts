import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { type FeatureFilter, featureFilterSql } from './feature-filter-sql.ts';
import { FEATURE_SOURCES, requireFeatureSource } from './feature-sources.ts';

const shorelines = requireFeatureSource('shorelines').sql;
const zones = requireFeatureSource('zones').sql;
const placeholders = (sql: string) => (sql.match(/\?/g) ?? []).length;

describe('featureFilterSql', () => {
  it('is TRUE without filters', () => {
    expect(featureFilterSql(shorelines, {})).toEqual({ sql: 'TRUE', bindings: [] });
  });

  it('filters a bbox with && (GiST) and ST_Intersects, values bound', () => {
    const where = featureFilterSql(shorelines, {
      bbox: { west: 104.7, south: 8.6, east: 104.8, north: 8.7 },
    });
    expect(where.sql).toContain('sh.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)');
    expect(where.sql).toContain('ST_Intersects(sh.geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))');
    expect(where.bindings).toEqual([104.7, 8.6, 104.8, 8.7, 104.7, 8.6, 104.8, 8.7]);
    expect(placeholders(where.sql)).toBe(where.bindings.length);
  });

  it('splits a box across the antimeridian into two envelopes', () => {
    const where = featureFilterSql(shorelines, { bbox: { west: 170, south: -10, east: -170, north: 10 } });
    expect(where.sql).toMatch(/ OR /);
    expect(where.bindings.slice(0, 4)).toEqual([170, -10, 180, 10]);
    expect(where.bindings.slice(8, 12)).toEqual([-180, -10, -170, 10]);
  });

  it('compares date columns with the UTC dates of the interval', () => {
    const where = featureFilterSql(shorelines, {
      datetime: { start: '2018-01-01T00:00:00.000Z', end: '2020-12-31T23:59:59.999Z' },
    });
    expect(where.sql).toBe('sh.date IS NOT NULL AND sh.date >= ?::date AND sh.date <= ?::date');
    expect(where.bindings).toEqual(['2018-01-01', '2020-12-31']);
  });

  it('leaves out the comparison of an open interval end', () => {
    const where = featureFilterSql(shorelines, {
      datetime: { start: null, end: '2020-12-31T00:00:00.000Z' },
    });
    expect(where.sql).toBe('sh.date IS NOT NULL AND sh.date <= ?::date');
  });

  it('compares timestamps as instants, and open-ended feature times only by their start', () => {
    const where = featureFilterSql(zones, {
      datetime: { start: '2018-01-01T00:00:00.000Z', end: '2020-01-01T12:00:00.000Z' },
    });
    expect(where.sql).toBe('z.created_at IS NOT NULL AND z.created_at <= ?::timestamptz');
    expect(where.bindings).toEqual(['2020-01-01T12:00:00.000Z']);
  });

  it('binds property filter values, never interpolates them', () => {
    const hostile = "x' OR 1=1; DROP TABLE sites;--";
    const where = featureFilterSql(shorelines, { properties: { site: hostile, year: 2020 } });
    expect(where.sql).not.toContain(hostile);
    expect(where.sql).toBe('s.slug = ? AND sh.date BETWEEN ?::date AND ?::date');
    expect(where.bindings).toEqual([hostile, '2020-01-01', '2020-12-31']);
  });

  it('gives every collection a filter for each of its queryables', () => {
    for (const { info, sql } of FEATURE_SOURCES) {
      expect(Object.keys(sql.filters).sort()).toEqual(Object.keys(info.queryables).sort());
      expect(Object.keys(sql.select)).toEqual(Object.keys(info.properties));
      for (const name of Object.keys(info.queryables)) {
        expect(Object.hasOwn(info.properties, name), `${info.id}.${name} is a property`).toBe(true);
        const where = featureFilterSql(sql, { properties: { [name]: 1 } });
        expect(placeholders(where.sql)).toBe(where.bindings.length);
      }
    }
  });

  it.each<[string, FeatureFilter]>([
    ['a property that is not queryable', { properties: { length_m: 5 } }],
    ['an inherited name', { properties: { constructor: 'x' } }],
    ['a non-finite bbox', { bbox: { west: Number.NaN, south: 0, east: 1, north: 1 } }],
    ['south above north', { bbox: { west: 0, south: 2, east: 1, north: 1 } }],
    ['an instant that is not UTC RFC 3339', { datetime: { start: "2020-01-01'; --", end: null } }],
  ])('refuses %s', (_label, filter) => {
    expect(() => featureFilterSql(shorelines, filter)).toThrow(TidemarkError);
  });

  it('does not change the filter it reads', () => {
    const filter: FeatureFilter = {
      bbox: { west: 170, south: -10, east: -170, north: 10 },
      datetime: { start: '2018-01-01T00:00:00.000Z', end: null },
      properties: { site: 'ca-mau' },
    };
    const copy = structuredClone(filter);
    featureFilterSql(shorelines, filter);
    expect(filter).toEqual(copy);
  });
});
