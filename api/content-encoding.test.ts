import { describe, expect, it } from 'vitest';
import { negotiateEncoding } from './content-encoding.ts';

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
});
