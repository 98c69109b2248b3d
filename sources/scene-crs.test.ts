import { describe, expect, it } from 'vitest';
import { crsFromGeoKeys, crsFromGeoKeysByTables, wgs84UtmCrs } from './scene-crs.ts';

const UTM_48N = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648 };

describe('crsFromGeoKeys', () => {
  it('resolves EPSG GeoKeys, the same keys in any order to the same CRS', async () => {
    const crs = await crsFromGeoKeys('a.tif', UTM_48N);
    expect(crs).toMatchObject({ epsg: 32648, crsUnits: 'metre', metresPerUnit: 1, angularScale: 1 });
    expect(crs.proj4).toContain('+lon_0=105');
    // The same keys in another order are the same CRS.
    const reordered = { ProjectedCSTypeGeoKey: 32648, GTRasterTypeGeoKey: 1, GTModelTypeGeoKey: 1 };
    expect(await crsFromGeoKeys('b.tif', reordered)).toBe(crs);
  });

  it('still rejects missing or user-defined GeoKeys with a clear error', async () => {
    await expect(crsFromGeoKeys('none.tif', null)).rejects.toThrow(/none\.tif has no GeoKeys/);
    await expect(crsFromGeoKeys('user.tif', { GTModelTypeGeoKey: 32767 })).rejects.toThrow(/user-defined/);
  });
});

describe('wgs84UtmCrs', () => {
  const codes = Array.from({ length: 60 }, (_, i) => [32601 + i, 32701 + i]).flat();

  it('gives for every WGS 84 / UTM zone, north and south, exactly what the CRS tables give', async () => {
    for (const code of codes) {
      const keys = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: code };
      expect(wgs84UtmCrs(keys), `EPSG:${code}`).toEqual(await crsFromGeoKeysByTables('t.tif', keys));
    }
  });

  it('accepts the keys GDAL writes beside the code, as the tables read them', async () => {
    const keys = {
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 2,
      ProjectedCSTypeGeoKey: 32748,
      GTCitationGeoKey: 'WGS 84 / UTM zone 48S',
      GeogCitationGeoKey: 'WGS 84',
      GeogAngularUnitsGeoKey: 9102,
      ProjLinearUnitsGeoKey: 9001,
    };
    expect(wgs84UtmCrs(keys)).toEqual(await crsFromGeoKeysByTables('t.tif', keys));
  });

  it('leaves every other CRS, and any key that could change the code, to the tables', () => {
    const utm = { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648 };
    expect(wgs84UtmCrs({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 27700 })).toBeNull();
    expect(wgs84UtmCrs({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32661 })).toBeNull();
    expect(wgs84UtmCrs({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 })).toBeNull();
    expect(wgs84UtmCrs({ ...utm, ProjLinearUnitsGeoKey: 9002 })).toBeNull();
    expect(wgs84UtmCrs({ ...utm, ProjFalseEastingGeoKey: 0 })).toBeNull();
    expect(wgs84UtmCrs({ ...utm, GeogAngularUnitsGeoKey: 9105 })).toBeNull();
  });
});
