import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { parseSiteFilter, siteFilterToQueryString } from './site-filter.ts';

function rejection(query: Record<string, string | string[] | undefined>): TidemarkError {
  try {
    parseSiteFilter(query);
  } catch (err) {
    expect(err).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('parseSiteFilter', () => {
  it('takes an optional site slug and gives it back as a query string', () => {
    expect(parseSiteFilter({})).toEqual({});
    expect(parseSiteFilter({ site: 'ca-mau' })).toEqual({ site: 'ca-mau' });
    expect(siteFilterToQueryString({})).toBe('');
    expect(siteFilterToQueryString({ site: 'ca-mau' })).toBe('?site=ca-mau');
  });

  it.each([
    [{ from: '2016' }, 'from', 'unknown parameter'],
    [{ bbox: '1,2,3,4' }, 'bbox', 'unknown parameter'],
    [{ site: ['ca-mau', 'ca-mau'] }, 'site', 'once'],
    [{ site: 'Ca Mau' }, 'site', 'slug'],
    [{ site: "x' OR 1=1--" }, 'site', 'slug'],
    [{ site: '' }, 'site', 'slug'],
  ])('rejects %j with a 400 naming %s', (query, name, reason) => {
    const err = rejection(query);
    expect(err.status).toBe(400);
    const params = (err.details as { invalidParams: { name: string; reason: string }[] }).invalidParams;
    expect(params.some((p) => p.name.includes(name) && p.reason.includes(reason))).toBe(true);
  });

  it('does not modify its input', () => {
    const query = { site: 'ca-mau' };
    parseSiteFilter(query);
    expect(query).toEqual({ site: 'ca-mau' });
  });
});
