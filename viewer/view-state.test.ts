import { describe, expect, it } from 'vitest';
import { readViewState, viewStateToApiQuery } from './view-state.ts';

describe('view state', () => {
  it('reads site and years and writes them back as the API query', () => {
    const state = readViewState('?site=ca-mau&from=2018&to=2022&zoom=3');
    expect(state).toEqual({ site: 'ca-mau', from: 2018, to: 2022 });
    expect(viewStateToApiQuery(state)).toBe('?site=ca-mau&from=2018&to=2022');
    expect(viewStateToApiQuery(readViewState(''))).toBe('');
  });

  it.each([
    ['a malformed site', '?site=Ca%20Mau', {}],
    ['a non-year', '?from=20x8', {}],
    ['an inverted range', '?from=2022&to=2018', {}],
  ])('drops %s', (_label, search, expected) => {
    expect(readViewState(search)).toEqual(expected);
  });
});
