import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { requireSceneTides, resolveSceneTide } from './scene-tide.ts';
import { parseTideCsv } from './tide-table.ts';

const table = parseTideCsv('2020-02-14T03:00:00Z,0.4\n2020-02-14T04:00:00Z,-0.2\n', 'tides.csv');
const at = Date.parse('2020-02-14T03:30:00Z');

describe('resolveSceneTide', () => {
  it('prefers the flag, then the table, then the scene properties', () => {
    const properties = { tide_height_m: 1.2, tide_datum: 'LAT' };
    expect(resolveSceneTide({ scene: 'a', acquiredAtMs: at, flagM: -0.7, table, properties })).toEqual({
      tideHeightM: -0.7,
      tideDatum: null,
      tideSource: 'flag',
    });
    const fromTable = resolveSceneTide({
      scene: 'a',
      acquiredAtMs: at,
      table,
      tableDatum: 'MSL',
      properties,
    });
    expect(fromTable?.tideSource).toBe('csv');
    expect(fromTable?.tideHeightM).toBeCloseTo(0.1, 12);
    expect(fromTable?.tideDatum).toBe('MSL');
    expect(resolveSceneTide({ scene: 'a', acquiredAtMs: at, properties })).toEqual({
      tideHeightM: 1.2,
      tideDatum: 'LAT',
      tideSource: 'stac',
    });
  });

  it('falls back to the properties when the table does not cover the scene', () => {
    const late = Date.parse('2021-01-01T00:00:00Z');
    const tide = resolveSceneTide({
      scene: 'a',
      acquiredAtMs: late,
      table,
      properties: { TIDE_HEIGHT_M: '-0.141' },
    });
    expect(tide).toEqual({ tideHeightM: -0.141, tideDatum: null, tideSource: 'stac' });
  });

  it('returns null when nothing gives a tide', () => {
    expect(resolveSceneTide({ scene: 'a', acquiredAtMs: null, table })).toBeNull();
    expect(resolveSceneTide({ scene: 'a', acquiredAtMs: at, properties: { cloud_cover: 3 } })).toBeNull();
  });

  it.each([
    ['a NaN flag', { flagM: Number.NaN }, /--tide must be a height/],
    ['an absurd flag', { flagM: 400 }, /--tide must be a height/],
    [
      'a text property',
      { properties: { tide_height_m: 'high' } },
      /tide_height_m = "high" is not a tide height/,
    ],
    ['an absurd property', { properties: { 'tide:height': 99 } }, /tide:height = 99/],
  ])('rejects %s, naming the scene', (_name, extra, message) => {
    expect(() => resolveSceneTide({ scene: 'ca-mau-2019', acquiredAtMs: at, ...extra })).toThrow(message);
    expect(() => resolveSceneTide({ scene: 'ca-mau-2019', acquiredAtMs: at, ...extra })).toThrow(
      /ca-mau-2019/,
    );
  });
});

describe('requireSceneTides', () => {
  it('names every scene without a tide', () => {
    const scenes = [
      { scene: 'ok', acquiredAtMs: at, table },
      { scene: 'ca-mau-2018', acquiredAtMs: Date.parse('2018-02-14T03:25:00Z'), table },
      { scene: 'ca-mau-2021', acquiredAtMs: null },
    ];
    expect(() => requireSceneTides(scenes, 'tide correction')).toThrow(TidemarkError);
    expect(() => requireSceneTides(scenes, 'tide correction')).toThrow(
      /tide correction needs a tide for every scene; none for 2: ca-mau-2018, ca-mau-2021/,
    );
    expect(requireSceneTides(scenes.slice(0, 1), 'tide filter')[0]!.tideSource).toBe('csv');
  });
});
