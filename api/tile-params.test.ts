import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { MAX_TILE_ZOOM, parseTileCoords } from './tile-params.ts';

function rejection(params: { z?: string; x?: string; y?: string }): TidemarkError {
  try {
    parseTileCoords(params);
  } catch (err) {
    if (err instanceof TidemarkError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(params)}`);
}

describe('parseTileCoords', () => {
  it('accepts the corners of the valid range at several zooms', () => {
    expect(parseTileCoords({ z: '0', x: '0', y: '0' })).toEqual({ z: 0, x: 0, y: 0 });
    expect(parseTileCoords({ z: '12', x: '4095', y: '0' })).toEqual({ z: 12, x: 4095, y: 0 });
    const last = String(2 ** MAX_TILE_ZOOM - 1);
    expect(parseTileCoords({ z: String(MAX_TILE_ZOOM), x: last, y: last })).toEqual({
      z: MAX_TILE_ZOOM,
      x: 2 ** MAX_TILE_ZOOM - 1,
      y: 2 ** MAX_TILE_ZOOM - 1,
    });
  });

  it.each([
    ['z above the maximum', { z: String(MAX_TILE_ZOOM + 1), x: '0', y: '0' }, 'z'],
    ['negative z', { z: '-1', x: '0', y: '0' }, 'z'],
    ['non-integer z', { z: '1.5', x: '0', y: '0' }, 'z'],
    ['exponent notation', { z: '1e1', x: '0', y: '0' }, 'z'],
    ['hex x', { z: '4', x: '0x1', y: '0' }, 'x'],
    ['x equal to 2^z', { z: '3', x: '8', y: '0' }, 'x'],
    ['y beyond 2^z', { z: '0', x: '0', y: '1' }, 'y'],
    ['negative y', { z: '5', x: '0', y: '-3' }, 'y'],
    ['empty x', { z: '5', x: '', y: '0' }, 'x'],
    ['missing y', { z: '5', x: '0' }, 'y'],
    ['SQL-ish x', { z: '5', x: '1;DROP TABLE shorelines', y: '0' }, 'x'],
    ['huge digits', { z: '5', x: '99999999999999999999', y: '0' }, 'x'],
  ])('rejects %s with a 400 naming the parameter', (_label, params, name) => {
    const err = rejection(params);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.status).toBe(400);
    const invalid = err.details?.invalidParams as Array<{ name: string }>;
    expect(invalid.map((p) => p.name)).toContain(name);
  });

  it('accepts exactly digit strings in range, as the schema does (the hand-written check agrees with it)', () => {
    expect(parseTileCoords({ z: '03', x: '007', y: '0' })).toEqual({ z: 3, x: 7, y: 0 });
    const digits = /^\d{1,10}$/;
    const values = ['0', '1', '7', '8', '08', '22', '23', '4194303', '4194304', '9999999999', '99999999999'];
    const odd = ['', ' 1', '1 ', '+1', '-0', '1.0', '1e0', '0x1', '\u0661', '\uff11', '1\n'];
    for (const z of ['0', '3', '22', '23', ...odd]) {
      for (const x of [...values, ...odd]) {
        const inRange = (v: string) => digits.test(v) && Number(v) < 2 ** Number(z);
        const valid = digits.test(z) && Number(z) <= MAX_TILE_ZOOM && inRange(x) && inRange('0');
        const params = { z, x, y: '0' };
        if (valid) expect(parseTileCoords(params), JSON.stringify(params)).toEqual({ z: +z, x: +x, y: 0 });
        else expect(rejection(params).status, JSON.stringify(params)).toBe(400);
        // And the same with the values in y.
        const swapped = { z, x: '0', y: x };
        if (valid) expect(parseTileCoords(swapped)).toEqual({ z: +z, x: 0, y: +x });
        else expect(rejection(swapped).status).toBe(400);
      }
    }
  });

  it('does not modify its input', () => {
    const params = { z: '3', x: '2', y: '1' };
    const copy = structuredClone(params);
    parseTileCoords(params);
    expect(params).toEqual(copy);
  });
});
