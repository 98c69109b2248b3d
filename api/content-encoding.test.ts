import { describe, expect, it } from 'vitest';
import { identityAcceptable, negotiateEncoding } from './content-encoding.ts';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['BR', 'br'],
    ['deflate', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip;q=0, br;q=0', 'identity'],
    ['gzip;q=0, br;q=0, identity;q=0', null],
    ['identity;q=0', null],
    ['*;q=0', null],
    ['gzip;q=0, gzip;q=1', 'gzip'],
    ['gzip;q=abc', 'identity'],
    [' gzip ; q=0.3 , identity;q=0.2', 'gzip'],
  ])('Accept-Encoding %j → %j', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  // Regression: a body too small to compress has only identity; asking for br must not pick the missing form.
  it.each([
    ['br', 'identity'],
    ['gzip, br', 'identity'],
    ['br, identity;q=0', null],
    [undefined, 'identity'],
  ] as const)('small body (identity only): Accept-Encoding %j → %j', (header, expected) => {
    expect(negotiateEncoding(header, ['identity'])).toBe(expected);
  });
  it('never picks a coding that is not available', () => {
    expect(negotiateEncoding('br', ['identity', 'gzip'])).toBe('identity');
    expect(negotiateEncoding('br, gzip;q=0.5', ['identity', 'gzip'])).toBe('gzip');
  });
});

describe('identityAcceptable', () => {
  it.each([
    ['', true],
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=0.5, gzip;q=0.8', true],
    ['identity;q=0', false],
    ['gzip, identity;q=0', false],
    ['gzip, IDENTITY ; q=0.0', false],
    ['*;q=0', false],
    ['gzip, *;q=0', false],
    ['*;q=0, identity', true],
    ['*;q=0, identity;q=0.1', true],
    ['identity;q=0, identity;q=1', true],
    ['identity;q=abc', false],
  ])('%j → %s', (header, expected) => {
    expect(identityAcceptable(header)).toBe(expected);
  });
});
