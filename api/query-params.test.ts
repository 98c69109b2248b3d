import { describe, expect, it } from 'vitest';
import { invalidParams } from '../test/support/invalid-params.ts';
import { parseNoQuery, parseSiteYearFilter, siteYearFilterToQueryString } from './query-params.ts';

describe('parseSiteYearFilter', () => {
  it('reads site, from and to', () => {
    expect(parseSiteYearFilter({ site: 'ca-mau', from: '2016', to: '2025' })).toEqual({
      site: 'ca-mau',
      fromYear: 2016,
      toYear: 2025,
    });
    expect(parseSiteYearFilter({})).toEqual({});
    expect(parseSiteYearFilter({ to: '2020' })).toEqual({ toYear: 2020 });
  });

  it.each([
    ['an unknown parameter', { bbox: '1,2,3,4' }, 'bbox', 'unknown parameter'],
    ['an upper-case slug', { site: 'Ca-Mau' }, 'site', 'slug'],
    ['a slug with a double hyphen', { site: 'ca--mau' }, 'site', 'slug'],
    ['a SQL-ish site', { site: "x' OR 1=1--" }, 'site', 'slug'],
    ['an empty site', { site: '' }, 'site', 'slug'],
    ['a repeated site', { site: ['a', 'b'] }, 'site', 'once'],
    ['a two-digit year', { from: '16' }, 'from', 'four-digit'],
    ['a year with text', { to: '2020abc' }, 'to', 'four-digit'],
    ['a year before the range', { from: '1200' }, 'from', '1950'],
    ['from after to', { from: '2024', to: '2016' }, 'from', 'after'],
  ])('rejects %s', (_label, query, name, reasonPart) => {
    const params = invalidParams(() => parseSiteYearFilter(query));
    const hit = params.find((p) => p.name.includes(name));
    expect(hit, JSON.stringify(params)).toBeDefined();
    expect(hit!.reason).toContain(reasonPart);
  });

  it('round-trips through its canonical query string', () => {
    const filter = { site: 'ca-mau', fromYear: 2018, toYear: 2020 };
    const qs = siteYearFilterToQueryString(filter);
    expect(qs).toBe('?site=ca-mau&from=2018&to=2020');
    expect(parseSiteYearFilter(Object.fromEntries(new URLSearchParams(qs)))).toEqual(filter);
    expect(siteYearFilterToQueryString({})).toBe('');
  });

  it('does not modify its input', () => {
    const query = { site: 'ca-mau', from: '2016' };
    const copy = structuredClone(query);
    parseSiteYearFilter(query);
    expect(query).toEqual(copy);
  });
});

describe('parseNoQuery', () => {
  it('accepts an empty query and rejects any parameter', () => {
    expect(() => parseNoQuery({})).not.toThrow();
    expect(invalidParams(() => parseNoQuery({ x: '1' }))[0]!.name).toBe('x');
  });
});
