import { describe, expect, it } from 'vitest';
import { rateClass } from './rate-class.ts';

describe('rateClass', () => {
  it.each([
    [-3, 'critical_erosion'],
    [-1.0001, 'critical_erosion'],
    [-1, 'erosion'],
    [-0.7, 'erosion'],
    [-0.5, 'stable'],
    [0, 'stable'],
    [0.5, 'stable'],
    [0.51, 'accretion'],
    [12, 'accretion'],
  ])('%f m/yr is %s', (rate, expected) => {
    expect(rateClass(rate)).toBe(expected);
  });
});
