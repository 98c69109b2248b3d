import { describe, expect, it } from 'vitest';
import { crsFromGeoKeys, geoKeysId, rememberCrs, resolvedCrs, type SceneCrs } from './scene-crs.ts';

const UTM_48N = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648 };

describe('crsFromGeoKeys', () => {
  it('resolves EPSG GeoKeys and records the result for other threads', async () => {
    const crs = await crsFromGeoKeys('a.tif', UTM_48N);
    expect(crs).toMatchObject({ epsg: 32648, crsUnits: 'metre', metresPerUnit: 1, angularScale: 1 });
    expect(crs.proj4).toContain('+lon_0=105');
    // The same keys in another order are the same CRS.
    const reordered = { ProjectedCSTypeGeoKey: 32648, GTRasterTypeGeoKey: 1, GTModelTypeGeoKey: 1 };
    expect(await crsFromGeoKeys('b.tif', reordered)).toBe(crs);
    expect(resolvedCrs().some(([, c]) => c === crs)).toBe(true);
  });

  it('takes a CRS handed over from another thread instead of resolving the keys again', async () => {
    // A marker no resolution would produce: seeing it back proves the handed-over entry was used.
    const handed = (zone: number): SceneCrs => ({
      epsg: 32700 + zone,
      proj4: `+proj=utm +zone=${zone} +south +datum=WGS84 +units=m +no_defs +handed`,
      crsUnits: 'metre',
      metresPerUnit: 1,
      angularScale: 1,
    });
    const unseen = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32750 };
    rememberCrs([[geoKeysId(unseen), handed(50)]]);
    expect((await crsFromGeoKeys('d.tif', unseen)).proj4).toContain('+handed');
    // Handing over never replaces what this thread resolved itself.
    rememberCrs([[geoKeysId(UTM_48N), handed(48)]]);
    expect((await crsFromGeoKeys('a.tif', UTM_48N)).proj4).not.toContain('+handed');
  });

  it('still rejects missing or user-defined GeoKeys with a clear error', async () => {
    await expect(crsFromGeoKeys('none.tif', null)).rejects.toThrow(/none\.tif has no GeoKeys/);
    await expect(crsFromGeoKeys('user.tif', { GTModelTypeGeoKey: 32767 })).rejects.toThrow(/user-defined/);
  });
});
