import { describe, expect, it } from 'vitest';
import { requireFeatureSource } from '../../store/features/feature-sources.ts';
import { invalidParams } from '../../test/support/invalid-params.ts';
import { LIMIT_DEFAULT, LIMIT_MAX, parseFormatQuery, parseItemsQuery, type RawQuery } from './items-query.ts';

const shorelines = requireFeatureSource('shorelines').info;
const transects = requireFeatureSource('transects').info;

describe('parseItemsQuery', () => {
  it('defaults to the first page of LIMIT_DEFAULT features, unfiltered', () => {
    expect(parseItemsQuery(shorelines, {})).toEqual({ limit: LIMIT_DEFAULT, properties: {}, linkParams: {} });
  });

  it('reads every parameter and keeps the filters as sent for the links', () => {
    const q = parseItemsQuery(shorelines, {
      limit: '25',
      bbox: '104.7,8.6,104.8,8.7',
      datetime: '2018-01-01/..',
      site: 'ca-mau',
      year: '2020',
      proxy: 'waterline',
      after: '40',
      f: 'geojson',
    });
    expect(q).toEqual({
      limit: 25,
      bbox: { west: 104.7, south: 8.6, east: 104.8, north: 8.7 },
      datetime: { start: '2018-01-01T00:00:00.000Z', end: null },
      properties: { site: 'ca-mau', year: 2020, proxy: 'waterline' },
      after: 40,
      linkParams: {
        bbox: '104.7,8.6,104.8,8.7',
        datetime: '2018-01-01/..',
        site: 'ca-mau',
        year: '2020',
        proxy: 'waterline',
        f: 'geojson',
      },
    });
    expect(parseItemsQuery(shorelines, { before: '7' }).before).toBe(7);
  });

  it('clamps a limit above the maximum instead of refusing it', () => {
    expect(parseItemsQuery(shorelines, { limit: String(LIMIT_MAX + 1) }).limit).toBe(LIMIT_MAX);
    expect(parseItemsQuery(shorelines, { limit: '99999999999999999999999999' }).limit).toBe(LIMIT_MAX);
    expect(parseItemsQuery(shorelines, { limit: '1' }).limit).toBe(1);
  });

  it('takes the property filters of the collection asked for, and only those', () => {
    expect(parseItemsQuery(transects, { rate_class: 'critical_erosion' }).properties).toEqual({
      rate_class: 'critical_erosion',
    });
    expect(invalidParams(() => parseItemsQuery(shorelines, { rate_class: 'erosion' }))).toEqual([
      { name: 'rate_class', reason: 'unknown parameter' },
    ]);
  });

  it.each([
    ['limit=0', { limit: '0' }, 'limit', 'at least 1'],
    ['limit=-1', { limit: '-1' }, 'limit', 'positive integer'],
    ['a fractional limit', { limit: '2.5' }, 'limit', 'positive integer'],
    ['an exponent limit', { limit: '1e3' }, 'limit', 'positive integer'],
    ['an empty limit', { limit: '' }, 'limit', 'positive integer'],
    ['a SQL-ish limit', { limit: '10; DROP TABLE sites' }, 'limit', 'positive integer'],
    ['a malformed bbox', { bbox: '1,2,3' }, 'bbox', '4 comma-separated'],
    ['a bad datetime', { datetime: '2020-02-30' }, 'datetime', 'RFC 3339'],
    ['an unknown parameter', { foo: 'bar' }, 'foo', 'unknown parameter'],
    ['a Part 2 CRS parameter', { crs: 'EPSG:4326' }, 'crs', 'unknown parameter'],
    ['a repeated parameter', { site: ['a', 'b'] }, 'site', 'once'],
    ['a repeated limit', { limit: ['1', '2'] }, 'limit', 'once'],
    ['an upper-case site', { site: 'Ca-Mau' }, 'site', 'must match'],
    ['a SQL-ish site', { site: "x' OR 1=1--" }, 'site', 'must match'],
    ['an empty site', { site: '' }, 'site', 'empty'],
    ['a too long site', { site: 'a'.repeat(64) }, 'site', 'at most 63'],
    ['a non-integer year', { year: '2020a' }, 'year', 'integer'],
    ['a year before the range', { year: '1800' }, 'year', 'at least 1900'],
    ['a year after the range', { year: '3000' }, 'year', 'at most 2200'],
    ['a proxy outside the enum', { proxy: 'cliff' }, 'proxy', 'one of waterline, vegetation'],
    ['a negative cursor', { after: '-1' }, 'after', 'feature id'],
    ['a text cursor', { before: 'abc' }, 'before', 'feature id'],
    ['an unsafe cursor', { after: '9007199254740993' }, 'after', 'feature id'],
    ['both cursors', { after: '1', before: '5' }, 'after, before', 'at most one'],
    ['f=html', { f: 'html' }, 'f', 'json or geojson'],
  ])('refuses %s', (_label, query, name, reasonPart) => {
    const params = invalidParams(() => parseItemsQuery(shorelines, query as RawQuery));
    expect(params).toHaveLength(1);
    expect(params[0]?.name).toBe(name);
    expect(params[0]?.reason).toContain(reasonPart);
  });

  it('lists every bad parameter at once', () => {
    const params = invalidParams(() => parseItemsQuery(shorelines, { limit: '0', bbox: 'x', foo: '1' }));
    expect(params.map((p) => p.name)).toEqual(['limit', 'bbox', 'foo']);
  });

  it('does not change the query it reads', () => {
    const query = { limit: '5000', site: 'ca-mau', bbox: '1,2,3,4' };
    const copy = structuredClone(query);
    parseItemsQuery(shorelines, query);
    expect(query).toEqual(copy);
  });
});

describe('parseFormatQuery', () => {
  it('returns the format asked for, or undefined', () => {
    expect(parseFormatQuery({}, ['json', 'html'])).toBeUndefined();
    expect(parseFormatQuery({ f: 'html' }, ['json', 'html'])).toBe('html');
  });

  it.each([
    ['an unknown parameter', { limit: '10' }, 'limit', 'unknown parameter'],
    ['an unknown format', { f: 'xml' }, 'f', 'one of json'],
    ['a repeated format', { f: ['json', 'json'] }, 'f', 'once'],
  ])('refuses %s', (_label, query, name, reasonPart) => {
    const params = invalidParams(() => parseFormatQuery(query as RawQuery, ['json']));
    expect(params).toEqual([{ name, reason: expect.stringContaining(reasonPart) }]);
  });
});
