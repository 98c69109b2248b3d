import { describe, expect, it } from 'vitest';
import { identityAcceptable } from './tiles.ts';

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
