import { describe, expect, it } from 'vitest';
import { parseBboxParam } from './bbox-param.ts';

describe('parseBboxParam', () => {
  it('reads west,south,east,north', () => {
    expect(parseBboxParam('104.7,8.6,104.8,8.7')).toEqual({
      ok: true,
      value: { west: 104.7, south: 8.6, east: 104.8, north: 8.7 },
    });
    expect(parseBboxParam('-180,-90,180,90')).toEqual({
      ok: true,
      value: { west: -180, south: -90, east: 180, north: 90 },
    });
    // GDAL writes %.18g: long decimals and exponents are numbers too.
    expect(parseBboxParam('104.745000000000005,8.65000000000000036,1.0475e2,8.66')).toMatchObject({
      ok: true,
      value: { west: 104.745, south: 8.65, east: 104.75, north: 8.66 },
    });
  });

  it('accepts a box across the antimeridian (west > east)', () => {
    expect(parseBboxParam('170,-10,-170,10')).toEqual({
      ok: true,
      value: { west: 170, south: -10, east: -170, north: 10 },
    });
  });

  it.each([
    ['three numbers', '1,2,3', '4 comma-separated'],
    ['five numbers', '1,2,3,4,5', '4 comma-separated'],
    ['a 3D box', '1,2,0,3,4,10', '3D'],
    ['an empty value', '', '4 comma-separated'],
    ['an empty member', '1,,3,4', 'numbers'],
    ['text', 'a,b,c,d', 'numbers'],
    ['hex', '0x10,2,3,4', 'numbers'],
    ['Infinity', 'Infinity,2,3,4', 'numbers'],
    ['NaN', 'NaN,2,3,4', 'numbers'],
    ['SQL', '1,2,3,4); DROP TABLE shorelines;--', 'numbers'],
    ['a longitude beyond 180', '181,0,182,1', 'longitudes'],
    ['a latitude beyond 90', '0,-91,1,1', 'latitudes'],
    ['an overflowing exponent', '1e400,0,1,1', 'finite'],
    ['south above north', '0,10,1,5', 'south'],
  ])('refuses %s', (_label, raw, reasonPart) => {
    const parsed = parseBboxParam(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reasonPart);
  });
});
