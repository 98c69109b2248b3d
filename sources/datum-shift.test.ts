import { describe, expect, it } from 'vitest';
import {
  geographicCrsNamed,
  geographicCrsOfDatum,
  MAX_SHIFT_ACCURACY_M,
  shiftToWgs84,
} from './datum-shift.ts';

const VIETNAM_WEST_OF_108E = { south: 8.33, west: 102.14, north: 23.4, east: 108 }; // EPSG:3405's area
const GREAT_BRITAIN = { south: 49.75, west: -9, north: 61.01, east: 2.01 }; // EPSG:27700's area

describe('shiftToWgs84', () => {
  it('gives VN-2000 the EPSG:6960 parameters, its rotations turned to the position-vector convention', async () => {
    // EPSG:6960 "VN-2000 to WGS 84 (2)" publishes, as a coordinate-frame rotation: tx −191.90441429 m,
    // ty −39.30318279 m, tz −111.45032835 m, rx −0.00928836″, ry 0.01975479″, rz −0.00427372″,
    // ds 0.252906278 ppm. +towgs84 takes position-vector rotations: the same with the signs of rx, ry, rz
    // turned (epsg.io's +towgs84 keeps them, 0.5 m off what GDAL computes).
    expect(await shiftToWgs84(4756, VIETNAM_WEST_OF_108E, true)).toEqual({
      ok: true,
      transformation: 6960,
      towgs84: [-191.90441429, -39.30318279, -111.45032835, 0.00928836, -0.01975479, 0.00427372, 0.252906278],
    });
  });

  it('gives OSGB36 the EPSG:1314 position-vector transformation GDAL uses without the OSTN15 grid', async () => {
    expect(await shiftToWgs84(4277, GREAT_BRITAIN, false)).toEqual({
      ok: true,
      transformation: 1314,
      towgs84: [446.448, -125.157, 542.06, 0.15, 0.247, 0.842, -20.489],
    });
  });

  it('applies no shift for WGS 84 itself or a datum whose EPSG transformation is null (NAD83)', async () => {
    expect(await shiftToWgs84(4326, null, true)).toEqual({ ok: true, towgs84: null, transformation: null });
    const nad83 = { south: 23.81, west: -172.54, north: 86.46, east: -47.74 };
    expect(await shiftToWgs84(4269, nad83, true)).toEqual({ ok: true, towgs84: null, transformation: 1188 });
  });

  it(`refuses a datum whose transformation GDAL would use is less accurate than ${MAX_SHIFT_ACCURACY_M} m`, async () => {
    const utm11n = { south: 26.93, west: -120, north: 78.13, east: -114 }; // NAD27 / UTM zone 11N
    const nad27 = await shiftToWgs84(4267, utm11n, false);
    expect(nad27).toEqual({
      ok: false,
      reason: expect.stringMatching(/EPSG:1172, is accurate only to 20 m/),
    });
  });

  it('refuses an area that no transformation covers, and a datum EPSG cannot relate to WGS 84', async () => {
    const pacific = { south: -10, west: -150, north: -5, east: -140 };
    expect((await shiftToWgs84(4277, pacific, false)).ok).toBe(false);
    // EPSG:4053 (unspecified datum on the authalic sphere) has no transformation; EPSG:4742 (GDM2000, on
    // GRS 1980) has none either, and PROJ's ballpark moves nothing on that ellipsoid.
    expect(await shiftToWgs84(4053, null, false)).toEqual({
      ok: false,
      reason: 'the EPSG dataset has no Helmert transformation from its datum to WGS 84',
    });
    expect(await shiftToWgs84(4742, null, true)).toEqual({ ok: true, towgs84: null, transformation: null });
  });

  it('reaches a datum on the Paris meridian through its Greenwich twin', async () => {
    expect(await geographicCrsOfDatum(6807)).toBe(4807);
    expect(await geographicCrsNamed('NTF (Paris)')).toBe(4807);
    expect(await shiftToWgs84(4807, { south: 42.33, west: -4.87, north: 51.14, east: 8.23 }, false)).toEqual({
      ok: true,
      transformation: 1193,
      towgs84: [-168, -60, 320],
    });
  });
});
