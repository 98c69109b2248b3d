import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { toWgs84 } from '../pipeline/reproject-lines.ts';
import { type GeoKeyValues, geoKeyTiff } from './geokey-tiff-bytes.ts';
import { openGeoTiffSource } from './geotiff-source.ts';
import { crsFromGeoKeys, crsFromGeoKeysWithoutFastPath, wgs84UtmCrs } from './scene-crs.ts';

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

/** Great-circle distance in metres between two [lon, lat] points. */
function distanceM([lon1, lat1]: readonly number[], [lon2, lat2]: readonly number[]): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((lat2! - lat1!) * r) / 2) ** 2 +
    Math.cos(lat1! * r) * Math.cos(lat2! * r) * Math.sin(((lon2! - lon1!) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

describe('wgs84UtmCrs', () => {
  const codes = Array.from({ length: 60 }, (_, i) => [32601 + i, 32701 + i]).flat();

  it('places every WGS 84 / UTM zone, north and south, where the EPSG definition does', async () => {
    for (const code of codes) {
      const keys = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: code };
      const fast = wgs84UtmCrs(keys)!;
      const epsg = await crsFromGeoKeysWithoutFastPath('t.tif', keys);
      expect(fast).toMatchObject({ ...epsg, proj4: fast.proj4 });
      const [a, b] = [toWgs84(fast.proj4), toWgs84(epsg.proj4)];
      for (const [x, y] of [
        [166_000, 1_000_000],
        [500_000, 5_000_000],
        [834_000, 9_000_000],
      ] as const) {
        expect(distanceM(a(x, y), b(x, y)), `EPSG:${code} at ${x}, ${y}`).toBeLessThan(1e-6);
      }
    }
  });

  it('accepts the keys GDAL writes beside the code', () => {
    const keys = {
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 2,
      ProjectedCSTypeGeoKey: 32748,
      GTCitationGeoKey: 'WGS 84 / UTM zone 48S',
      GeogCitationGeoKey: 'WGS 84',
      GeogAngularUnitsGeoKey: 9102,
      ProjLinearUnitsGeoKey: 9001,
    };
    expect(wgs84UtmCrs(keys)?.proj4).toContain('+y_0=10000000');
  });

  it('leaves every other CRS, and any key that could change the code, to the EPSG definitions', () => {
    const utm = { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648 };
    expect(wgs84UtmCrs({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 27700 })).toBeNull();
    expect(wgs84UtmCrs({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32661 })).toBeNull();
    expect(wgs84UtmCrs({ GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 })).toBeNull();
    expect(wgs84UtmCrs({ ...utm, ProjLinearUnitsGeoKey: 9002 })).toBeNull();
    expect(wgs84UtmCrs({ ...utm, ProjFalseEastingGeoKey: 0 })).toBeNull();
    expect(wgs84UtmCrs({ ...utm, GeogAngularUnitsGeoKey: 9105 })).toBeNull();
  });
});

const dir = mkdtempSync(join(tmpdir(), 'tidemark-crs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, keys: GeoKeyValues, origin: { x0: number; y0: number; pixelSize: number }) {
  const path = join(dir, `${name}.tif`);
  writeFileSync(path, geoKeyTiff(keys, origin));
  return path;
}

const PROJECTED = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1 };
/** User-defined projection on WGS 84, as gdalwarp -t_srs "+proj=… +datum=WGS84" writes it. */
const USER_DEFINED = {
  ...PROJECTED,
  GeographicTypeGeoKey: 4326,
  GeogAngularUnitsGeoKey: 9102,
  ProjectedCSTypeGeoKey: 32767,
  ProjectionGeoKey: 32767,
  ProjLinearUnitsGeoKey: 9001,
};
const NO_FALSE_ORIGIN = { ProjFalseEastingGeoKey: 0, ProjFalseNorthingGeoKey: 0 };

interface GdalCase {
  keys: GeoKeyValues;
  origin: { x0: number; y0: number; pixelSize: number };
  /** Longitude, latitude of the corners of pixels (0, 0) and (4, 4) by GDAL. */
  gdal: [[number, number], [number, number]];
  epsg?: number;
  metresPerUnit?: number;
}

/**
 * Each file is geoKeyTiff(keys, origin); `gdal` is where GDAL 3.6.2 puts its corners: gdal.Open(file), then
 * osr.CoordinateTransformation(ds.GetSpatialRef(), EPSG:4326), both in traditional GIS order, of the
 * geotransform's (0, 0) and (4, 4) pixel corners, rounded to 1e-9 degrees. Before the fix each of these
 * landed from 67 m (Paris meridian) to 6600 km (south-oriented) away, or not at all (Hotine).
 */
const GDAL_CASES: Record<string, GdalCase> = {
  // Regression: VN-2000 scenes landed 186–225 m off (no datum shift), Ca Mau province.
  'VN-2000 / UTM zone 48N (EPSG:3405)': {
    keys: { ...PROJECTED, ProjectedCSTypeGeoKey: 3405, ProjLinearUnitsGeoKey: 9001 },
    origin: { x0: 516280, y0: 1014870, pixelSize: 10 },
    gdal: [
      [105.149971119, 9.180020414],
      [105.150335068, 9.179658464],
    ],
    epsg: 3405,
    metresPerUnit: 1,
  },
  "VN-2000 / TM-3 104-30 (EPSG:9207, Ca Mau's provincial zone)": {
    keys: { ...PROJECTED, ProjectedCSTypeGeoKey: 9207 },
    origin: { x0: 570000, y0: 1015000, pixelSize: 10 },
    gdal: [
      [105.138755149, 9.177910958],
      [105.13911847, 9.177548645],
    ],
    epsg: 9207,
  },
  'EPSG:3405 with ProjLinearUnitsGeoKey = foot, which GDAL honours over the code': {
    keys: { ...PROJECTED, ProjectedCSTypeGeoKey: 3405, ProjLinearUnitsGeoKey: 9002 },
    origin: { x0: 1693850, y0: 3329630, pixelSize: 30 },
    gdal: [
      [105.150021005, 9.180031464],
      [105.150353801, 9.179700497],
    ],
    epsg: 3405,
    metresPerUnit: 0.3048,
  },
  // Regression: 62–89 m off. The OSTN15 grid GDAL would prefer is not installed; it uses EPSG:1314 as we do.
  'OSGB36 / British National Grid (EPSG:27700)': {
    keys: { ...PROJECTED, ProjectedCSTypeGeoKey: 27700 },
    origin: { x0: 258000, y0: 282000, pixelSize: 10 },
    gdal: [
      [-4.089409517, 52.417507273],
      [-4.088804787, 52.4171583],
    ],
    epsg: 27700,
  },
  'Hartebeesthoek94 / Lo15 (EPSG:2046, westing/southing axes)': {
    keys: { ...PROJECTED, ProjectedCSTypeGeoKey: 2046 },
    origin: { x0: -51000, y0: 3298000, pixelSize: 10 },
    gdal: [
      [15.527511361, -29.799459422],
      [15.52709575, -29.799100236],
    ],
    epsg: 2046,
  },
  'user-defined polar stereographic variant B (+lat_0=90 +lat_ts=70 +lon_0=105)': {
    keys: {
      ...USER_DEFINED,
      ...NO_FALSE_ORIGIN,
      ProjCoordTransGeoKey: 15,
      ProjNatOriginLatGeoKey: 70,
      ProjStraightVertPoleLongGeoKey: 105,
      ProjScaleAtNatOriginGeoKey: 1,
    },
    origin: { x0: 100000, y0: -1500000, pixelSize: 10 },
    gdal: [
      [108.814074834, 76.186930153],
      [108.815494513, 76.186542612],
    ],
  },
  'user-defined polar stereographic variant A (+lat_0=-90 +lon_0=180 +k=0.994)': {
    keys: {
      ...USER_DEFINED,
      ProjCoordTransGeoKey: 15,
      ProjNatOriginLatGeoKey: -90,
      ProjStraightVertPoleLongGeoKey: 180,
      ProjScaleAtNatOriginGeoKey: 0.994,
      ProjFalseEastingGeoKey: 5000000,
      ProjFalseNorthingGeoKey: 1000000,
    },
    origin: { x0: 5100000, y0: 2500000, pixelSize: 10 },
    gdal: [
      [-176.185925166, -76.519414185],
      [-176.18430259, -76.519745259],
    ],
  },
  'user-defined south-oriented transverse Mercator (+axis=wsu)': {
    keys: {
      ...USER_DEFINED,
      ...NO_FALSE_ORIGIN,
      ProjCoordTransGeoKey: 27,
      ProjNatOriginLongGeoKey: 105,
      ProjNatOriginLatGeoKey: 0,
      ProjScaleAtNatOriginGeoKey: 1,
    },
    origin: { x0: -16460, y0: -1015000, pixelSize: 10 },
    gdal: [
      [105.149767551, 9.178534679],
      [105.149403748, 9.178896484],
    ],
  },
  'UTM zone 48N in US survey feet (ProjectionGeoKey 16048, +units=us-ft)': {
    keys: { ...USER_DEFINED, ProjectionGeoKey: 16048, ProjLinearUnitsGeoKey: 9003 },
    origin: { x0: 1693850, y0: 3329630, pixelSize: 30 },
    gdal: [
      [105.148249362, 9.181061148],
      [105.14858216, 9.180730181],
    ],
    metresPerUnit: 1200 / 3937,
  },
  'user-defined Mercator (2SP) (+lat_ts=5 +lon_0=100)': {
    keys: {
      ...USER_DEFINED,
      ...NO_FALSE_ORIGIN,
      ProjCoordTransGeoKey: 7,
      ProjStdParallel1GeoKey: 5,
      ProjNatOriginLongGeoKey: 100,
      ProjNatOriginLatGeoKey: 0,
    },
    origin: { x0: 570000, y0: 1010000, pixelSize: 10 },
    gdal: [
      [105.139825516, 9.129393474],
      [105.140186206, 9.129035014],
    ],
  },
  'user-defined Hotine oblique Mercator variant A (ProjCoordTransGeoKey 3)': {
    keys: {
      ...USER_DEFINED,
      ...NO_FALSE_ORIGIN,
      ProjCoordTransGeoKey: 3,
      ProjCenterLongGeoKey: 104.7,
      ProjCenterLatGeoKey: 8.6,
      ProjAzimuthAngleGeoKey: 30,
      ProjRectifiedGridAngleGeoKey: 30,
      ProjScaleAtCenterGeoKey: 1,
    },
    origin: { x0: 60000, y0: 40000, pixelSize: 10 },
    gdal: [
      [100.33382144, 0.363518562],
      [100.334183054, 0.363159136],
    ],
  },
  'user-defined Hotine oblique Mercator variant B (ProjCoordTransGeoKey 9815)': {
    keys: {
      ...USER_DEFINED,
      ...NO_FALSE_ORIGIN,
      ProjCoordTransGeoKey: 9815,
      ProjCenterLongGeoKey: 104.7,
      ProjCenterLatGeoKey: 8.6,
      ProjAzimuthAngleGeoKey: 30,
      ProjRectifiedGridAngleGeoKey: 30,
      ProjScaleAtCenterGeoKey: 1,
    },
    origin: { x0: 60000, y0: 40000, pixelSize: 10 },
    gdal: [
      [105.245602522, 8.961265374],
      [105.245965716, 8.960903184],
    ],
  },
  // Regression: the Paris meridian of the EPSG geographic CRS was dropped (lines 2.34° west, about 170 km).
  'user-defined transverse Mercator on NTF (Paris) by code (GeographicTypeGeoKey 4807)': {
    keys: {
      ...PROJECTED,
      GeographicTypeGeoKey: 4807,
      ProjectedCSTypeGeoKey: 32767,
      ProjectionGeoKey: 32767,
      ProjLinearUnitsGeoKey: 9001,
      ProjCoordTransGeoKey: 1,
      ProjNatOriginLongGeoKey: 0,
      ProjNatOriginLatGeoKey: 46.8,
      ProjScaleAtNatOriginGeoKey: 1,
      ...NO_FALSE_ORIGIN,
    },
    origin: { x0: 10000, y0: 20000, pixelSize: 10 },
    gdal: [
      [2.467962886, 46.97977969],
      [2.46848773, 46.979419285],
    ],
  },
  // Regression: without GeogAngularUnitsGeoKey the coordinates were read as degrees, not NTF (Paris)'s grads.
  'NTF (Paris) by code, in grads without GeogAngularUnitsGeoKey (EPSG:4807)': {
    keys: { GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, GeographicTypeGeoKey: 4807 },
    origin: { x0: 0.5, y0: 52.2, pixelSize: 0.0001 },
    gdal: [
      [2.786548879, 46.979949414],
      [2.786908898, 46.97958942],
    ],
    epsg: 4807,
  },
  'geographic on the NTF datum and the Paris meridian (GeogPrimeMeridianGeoKey 8903)': {
    keys: {
      GTModelTypeGeoKey: 2,
      GTRasterTypeGeoKey: 1,
      GeographicTypeGeoKey: 32767,
      GeogGeodeticDatumGeoKey: 6807,
      GeogPrimeMeridianGeoKey: 8903,
      GeogEllipsoidGeoKey: 7011,
      GeogAngularUnitsGeoKey: 9102,
    },
    origin: { x0: -4.6, y0: 48.4, pixelSize: 0.0001 },
    gdal: [
      [-2.263670073, 48.399901288],
      [-2.26327005, 48.399501294],
    ],
  },
};

describe('crsFromGeoKeys: where GeoTIFF bytes land, against GDAL', () => {
  it.each(Object.entries(GDAL_CASES))('%s', async (name, c) => {
    const source = await openGeoTiffSource(write(name.replace(/\W+/g, '-'), c.keys, c.origin), {
      bands: { green: 1 },
    });
    const { geoTransform: g, proj4, epsg, metresPerUnit } = source.info;
    const map = toWgs84(proj4);
    [0, 4].forEach((corner, i) => {
      const lonLat = map(g[0] + corner * g[1], g[3] + corner * g[5]);
      expect(distanceM(lonLat, c.gdal[i]!), `corner ${corner} (${proj4})`).toBeLessThan(0.01);
    });
    expect(epsg).toBe(c.epsg ?? null);
    if (c.metresPerUnit !== undefined) expect(metresPerUnit).toBeCloseTo(c.metresPerUnit, 12);
  });
});

describe('crsFromGeoKeys: CRSs it cannot place as GDAL does are refused by name', () => {
  it.each([
    [
      'NAD27 (EPSG:26711), whose accurate transformations need a grid',
      { ...PROJECTED, ProjectedCSTypeGeoKey: 26711 },
      /EPSG:26711 \(NAD27 \/ UTM zone 11N\).*EPSG:1172, is accurate only to 20 m/,
    ],
    [
      'a deprecated code (EPSG:3410)',
      { ...PROJECTED, ProjectedCSTypeGeoKey: 3410 },
      /EPSG:3410 is not a projected CRS of the EPSG dataset \(unknown or deprecated code\)/,
    ],
    [
      'a user-defined datum on a non-WGS 84 ellipsoid without TOWGS84',
      {
        GTModelTypeGeoKey: 2,
        GeographicTypeGeoKey: 32767,
        GeogGeodeticDatumGeoKey: 32767,
        GeogEllipsoidGeoKey: 7016,
        GeogPrimeMeridianGeoKey: 8903,
      },
      /datum is user-defined on a non-WGS 84 ellipsoid .* so its offset from WGS 84 is unknown/,
    ],
    [
      'a south-oriented transverse Mercator with a false easting (PROJ refuses it too)',
      {
        ...USER_DEFINED,
        ProjCoordTransGeoKey: 27,
        ProjNatOriginLongGeoKey: 15,
        ProjFalseEastingGeoKey: 1000,
      },
      /south-oriented transverse Mercator has a false easting or northing/,
    ],
    [
      'a polar stereographic with both a latitude of true scale and a scale factor',
      {
        ...USER_DEFINED,
        ProjCoordTransGeoKey: 15,
        ProjNatOriginLatGeoKey: 70,
        ProjScaleAtNatOriginGeoKey: 0.99,
      },
      /polar stereographic GeoKeys give both a latitude of true scale \(70\) and a scale factor/,
    ],
    [
      'an unknown linear unit',
      { ...PROJECTED, ProjectedCSTypeGeoKey: 3405, ProjLinearUnitsGeoKey: 9999 },
      /linear unit \(ProjLinearUnitsGeoKey 9999\) is not supported/,
    ],
  ])('%s', async (_, keys, message) => {
    const path = write('refused', keys as GeoKeyValues, { x0: 440720, y0: 3751320, pixelSize: 60 });
    const err = await openGeoTiffSource(path, { bands: { green: 1 } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('UNSUPPORTED');
    expect((err as Error).message).toMatch(message);
  });
});
