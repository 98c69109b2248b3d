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

  it('does not modify its input', () => {
    const params = { z: '3', x: '2', y: '1' };
    const copy = structuredClone(params);
    parseTileCoords(params);
    expect(params).toEqual(copy);
  });
});
