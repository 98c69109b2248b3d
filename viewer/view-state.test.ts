import { describe, expect, it } from 'vitest';
import { missingSiteNotice, readViewState, type ViewState, writeViewState } from './view-state.ts';

describe('view state', () => {
  it('round-trips site, years, view and hidden layers through the URL', () => {
    const state: ViewState = {
      site: 'ca-mau',
      from: 2018,
      to: 2022,
      center: [104.747014, 8.661517],
      zoom: 13.4,
      hidden: ['hazard', 'change'],
    };
    const search = writeViewState(state);
    expect(search).toBe(
      '?site=ca-mau&from=2018&to=2022&lng=104.747014&lat=8.661517&z=13.4&hide=change,hazard',
    );
    expect(readViewState(search)).toEqual({ ...state, hidden: ['change', 'hazard'] });
    expect(writeViewState({})).toBe('');
    expect(readViewState('')).toEqual({});
  });

  it('rounds the view to what matters (0.1 m, 1 % of scale)', () => {
    const search = writeViewState({ center: [104.12345678, -8.98765432], zoom: 12.3456 });
    expect(search).toBe('?lng=104.123457&lat=-8.987654&z=12.35');
  });

  it('does not change the state it writes', () => {
    const state: ViewState = { site: 'a', hidden: ['zones', 'change'], center: [1, 2], zoom: 3 };
    const copy = structuredClone(state);
    writeViewState(state);
    expect(state).toEqual(copy);
  });

  it.each([
    ['a malformed site', '?site=Ca%20Mau', {}],
    ['an over-long site', `?site=${'a'.repeat(64)}`, {}],
    ['a non-year', '?from=20x8', {}],
    ['an inverted range', '?from=2022&to=2018', {}],
    ['a longitude beyond 180', '?lng=181&lat=8&z=10', {}],
    ['a latitude beyond Web Mercator', '?lng=104&lat=86&z=10', {}],
    ['a negative zoom', '?lng=104&lat=8&z=-1', {}],
    ['a zoom beyond 24', '?lng=104&lat=8&z=25', {}],
    ['a centre without a zoom', '?lng=104&lat=8', {}],
    ['a zoom without a centre', '?z=12', {}],
    ['an exponent', '?lng=1e2&lat=8&z=10', {}],
    ['a script in a layer list', '?hide=<script>,zones', { hidden: ['zones'] }],
    ['an empty layer list', '?hide=', {}],
    ['a layer the map does not have', '?hide=foo', {}],
    ['an unknown layer beside known ones', '?hide=foo,zones,hazard', { hidden: ['hazard', 'zones'] }],
    ['a style layer id instead of an overlay id', '?hide=change-fill', {}],
  ])('drops %s', (_label, search, expected) => {
    expect(readViewState(search)).toEqual(expected);
  });
});

describe('missingSiteNotice', () => {
  const slugs = ['ca-mau', 'ben-tre'];

  it('says when the site in the link does not exist', () => {
    expect(missingSiteNotice('?site=nope&z=3', slugs)).toBe(
      'The site "nope" in the link does not exist: all sites are shown.',
    );
  });

  it('does not repeat a malformed site name, but still says it was not found', () => {
    expect(missingSiteNotice('?site=%3Cb%3Ehello', slugs)).toBe(
      'The site in the link is not a valid site name: all sites are shown.',
    );
  });

  it.each([
    ['a site that exists', '?site=ca-mau'],
    ['no site', '?from=2018'],
    ['an empty site', '?site='],
    ['a bare URL', ''],
  ])('says nothing for %s', (_label, search) => {
    expect(missingSiteNotice(search, slugs)).toBeNull();
  });
});
