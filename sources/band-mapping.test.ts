import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import {
  bandKeyFromDescription,
  bandKeyFromFileName,
  boaAddOffset,
  parseBandsFlag,
  requireBands,
  resolveBandMap,
} from './band-mapping.ts';
import type { BandKey } from './scene-source.ts';

describe('bandKeyFromDescription', () => {
  it.each([
    ['B03', 'green'],
    ['B3', 'green'],
    ['B08', 'nir'],
    ['B11', 'swir16'],
    ['B12', 'swir22'],
    ['B11_swir1_1610nm', 'swir16'],
    ['B3_green_560nm', 'green'],
    ['SR_B3', 'green'],
    ['SR_B5', 'nir'],
    ['SR_B6', 'swir16'],
    ['sr_b7', 'swir22'],
    ['green', 'green'],
    ['NIR', 'nir'],
    ['swir16', 'swir16'],
    // Red: the vegetation-edge proxy's NDVI (issue 7).
    ['B04', 'red'],
    ['B4_red_665nm', 'red'],
    ['SR_B4', 'red'],
    ['red', 'red'],
  ])('reads %s as %s', (description, key) => {
    expect(bandKeyFromDescription(description)).toBe(key);
  });

  it.each(['B8A', 'B05', 'SR_B2', 'blue', '', 'Band 1'])('maps %s to nothing', (description) => {
    expect(bandKeyFromDescription(description)).toBeNull();
  });
});

describe('parseBandsFlag', () => {
  it('parses 1-based band numbers', () => {
    expect(parseBandsFlag('green=3, nir=8,swir16=11')).toEqual({ green: 3, nir: 8, swir16: 11 });
    expect(parseBandsFlag('red=4')).toEqual({ red: 4 });
    // A cloud-mask band: non-zero masks the pixel.
    expect(parseBandsFlag('green=1,nir=2,swir16=3,mask=4')).toEqual({ green: 1, nir: 2, swir16: 3, mask: 4 });
  });

  it.each([
    ['', /empty/],
    ['green', /KEY=N/],
    ['green=', /KEY=N/],
    ['blue=3', /unknown band "blue"/],
    ['green=0', /whole number ≥ 1/],
    ['green=2.5', /whole number ≥ 1/],
    ['green=-1', /whole number ≥ 1/],
    ['green=x', /whole number ≥ 1/],
    ['green=1,green=2', /twice/],
  ])('rejects %j', (text, message) => {
    expect(() => parseBandsFlag(text)).toThrow(message);
    expect(() => parseBandsFlag(text)).toThrow(TidemarkError);
  });
});

describe('resolveBandMap', () => {
  it('lets explicit numbers win over descriptions', () => {
    expect(resolveBandMap(['B03', 'B08', 'B11'], 3, { green: 2 })).toEqual({ green: 2, nir: 2, swir16: 3 });
  });

  it('rejects a band number beyond the band count', () => {
    expect(() => resolveBandMap(['B03'], 1, { swir16: 4 })).toThrow(/scene has 1 band/);
  });

  it('takes the first band with a matching description', () => {
    expect(resolveBandMap(['B03', 'B03'], 2)).toEqual({ green: 1 });
  });
});

describe('requireBands', () => {
  const geotiff = (descriptions: string[], bandMap = resolveBandMap(descriptions, descriptions.length)) => ({
    fileName: 'scene.tif',
    bandMap,
    bandDescriptions: descriptions,
  });
  const failure = (run: () => void): TidemarkError => {
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(TidemarkError);
      expect((err as TidemarkError).code).toBe('MISSING_BAND');
      return err as TidemarkError;
    }
    throw new Error('expected MISSING_BAND');
  };

  it('names the missing band, what it is, and how to map it with --bands', () => {
    const e = failure(() => requireBands(geotiff(['B03', 'x']), ['green', 'swir16'], 'MNDWI'));
    expect(e.message).toBe(
      'missing band swir16 (SWIR 1.6 µm: Sentinel-2 B11, Landsat 8/9 SR_B6), needed for MNDWI. scene.tif: band ' +
        'descriptions are 1="B03", 2="x". Map it with --bands swir16=N (1-based band number; unmapped: 2), ' +
        'e.g. --bands green=1,swir16=2',
    );
  });

  it('names each missing band once, without repeating its key ("missing bands green, green (…)")', () => {
    const e = failure(() => requireBands(geotiff(['', '', '']), ['green', 'nir', 'swir16'], 'MNDWI'));
    expect(e.message).toMatch(
      /^missing bands green \(Sentinel-2 B03, Landsat 8\/9 SR_B3\), nir \(near infrared: Sentinel-2 B08, Landsat 8\/9 SR_B5\) and swir16 \(SWIR 1\.6 µm: Sentinel-2 B11, Landsat 8\/9 SR_B6\), needed for MNDWI\. /,
    );
    expect(e.message).not.toMatch(/green, green|nir, nir|swir16, swir16/);
    expect(e.message).toMatch(
      /the 3 bands have no descriptions\. Map them with --bands green=N,nir=N,swir16=N .*e\.g\. --bands green=1,nir=2,swir16=3$/,
    );
    expect(e.details).toEqual({
      band: 'green',
      bands: ['green', 'nir', 'swir16'],
      descriptions: ['', '', ''],
    });
  });

  it('names the red band when the vegetation proxy lacks it', () => {
    expect(() =>
      requireBands(
        geotiff(['B03', 'B08', 'B11']),
        ['green', 'red', 'nir', 'swir16'],
        'the vegetation-edge proxy',
      ),
    ).toThrow(
      /^missing band red \(Sentinel-2 B04, Landsat 8\/9 SR_B4\), needed for the vegetation-edge proxy/,
    );
    expect(resolveBandMap(['B03', 'B04', 'B08', 'B11'], 4)).toEqual({ green: 1, red: 2, nir: 3, swir16: 4 });
  });

  it('suggests no band number a single-band file does not have, but another file (single-band green file)', () => {
    const e = failure(() => requireBands(geotiff(['B03']), ['green', 'swir16'], 'MNDWI'));
    expect(e.message).not.toMatch(/=2/);
    expect(e.message).toMatch(
      /scene\.tif has 1 band \(band descriptions are 1="B03"\), none left for swir16: give it as another file, .*e\.g\. tidemark extract scene\.tif T48PVS_B11\.tif$/,
    );
    // A lone file named after its band is kept in the example: beside other band files its name maps it.
    const named = failure(() =>
      requireBands(
        { fileName: 'S2_B03.tif', bandMap: {}, bandDescriptions: [''] },
        ['green', 'swir16'],
        'MNDWI',
      ),
    );
    expect(named.message).toMatch(/e\.g\. tidemark extract S2_B03\.tif T48PVS_B11\.tif$/);
    expect(named.message).not.toMatch(/--bands/);
  });

  it('says a file whose bands are all mapped has none left, with --bands only for a wrong description (AWEI without swir22)', () => {
    const awei = failure(() =>
      requireBands(
        geotiff(['B03', 'B08', 'B11']),
        ['green', 'nir', 'swir16', 'swir22'],
        'the AWEI water index',
      ),
    );
    expect(awei.message).toMatch(
      /none left for swir22: give it as another file, .*tidemark extract scene\.tif T48PVS_B12\.tif$/,
    );
    expect(awei.message).not.toMatch(/--bands/);
    const rgb = failure(() => requireBands(geotiff(['B03', 'B04']), ['green', 'swir16'], 'MNDWI'));
    expect(rgb.message).toMatch(
      /if a band description is wrong, map the bands with --bands green=1,swir16=2$/,
    );
  });

  it('tells a STAC Item to add an asset, not to use --bands, which an item refuses', () => {
    const e = failure(() =>
      requireBands(
        {
          fileName: 'item.json',
          bandMap: { green: 1, nir: 2 },
          bandDescriptions: ['B03', 'nir'],
          bandOrigin: 'stac-item',
        },
        ['green', 'swir16'],
        'MNDWI',
      ),
    );
    expect(e.message).not.toMatch(/Map it with --bands|--bands swir16/);
    expect(e.message).toMatch(
      /item\.json maps green \(asset "B03"\) and nir \(asset "nir"\) from its assets\. --bands does not apply to a STAC Item: give the item an asset for it, with eo:bands common_name "swir16"/,
    );
  });

  it('tells band files to add a file, not to use --bands, which band files refuse', () => {
    const e = failure(() =>
      requireBands(
        {
          fileName: 'T_B03.tif+T_B08.tif',
          bandMap: { green: 1, nir: 2 },
          bandDescriptions: ['T_B03.tif', 'T_B08.tif'],
          bandOrigin: 'band-files',
        },
        ['green', 'swir16'],
        'MNDWI',
      ),
    );
    expect(e.message).toBe(
      'missing band swir16 (SWIR 1.6 µm: Sentinel-2 B11, Landsat 8/9 SR_B6), needed for MNDWI. The files map ' +
        'green (T_B03.tif) and nir (T_B08.tif). --bands does not apply to one file per band: add a GeoTIFF for ' +
        'it, named after its band or with its band description set (B11), e.g. tidemark extract T_B03.tif ' +
        'T_B08.tif T48PVS_B11.tif',
    );
  });

  it('passes when every band is mapped', () => {
    expect(() =>
      requireBands(
        { fileName: 'x.tif', bandMap: { green: 1, swir16: 2 }, bandDescriptions: [] },
        ['green', 'swir16'],
        'MNDWI',
      ),
    ).not.toThrow();
  });
});

describe('bandKeyFromFileName', () => {
  it.each([
    ['T48PVR_20240101T031111_B11_20m.tif', 'swir16'],
    ['T48PVR_20240101T031111_B03_10m.tif', 'green'],
    ['T48PVS_B08.tif', 'nir'],
    ['B3.TIF', 'green'],
    ['LC09_L2SP_125052_20240101_20240102_02_T1_SR_B6.TIF', 'swir16'],
    ['LC08_L2SP_125052_20240101_20240102_02_T1_SR_B3.TIF', 'green'],
    ['T48PVR_20240101T031111_SCL_20m.tif', 'scl'],
    ['swir16.tif', 'swir16'],
    ['red_river_B03.tif', 'green'],
  ])('reads %s as %s', (name, key) => {
    expect(bandKeyFromFileName(name)).toBe(key);
  });

  it.each([
    'T48PVR_20240101T031111_B8A_20m.tif',
    'LC09_L2SP_125052_20240101_20240102_02_T1_ST_B10.TIF',
    'LC09_L2SP_125052_20240101_20240102_02_T1_SR_B2.TIF',
    'B03_B11.tif',
    'thumbnail.tif',
    'band1.tif',
  ])('maps %s to nothing', (name) => {
    expect(bandKeyFromFileName(name)).toBeNull();
  });
});

describe('boaAddOffset', () => {
  const dataset = {
    BOA_ADD_OFFSET_B03: '-1000',
    BOA_ADD_OFFSET_B08: '-1001',
    BOA_ADD_OFFSET_B11: '-1002',
    BOA_ADD_OFFSET_B8A: '-7',
  };

  it.each<[string, number, Partial<Record<BandKey, number>>, number]>([
    ['B03', 1, {}, -1000],
    ['B3_green_560nm', 1, {}, -1000],
    ['B11_swir1_1610nm', 1, {}, -1002],
    ['B8A', 1, {}, -7],
    ['green', 1, {}, -1000],
    // A band without a description, named by its file (…_B08.tif) or by --bands: its mapping decides.
    ['', 1, { nir: 1 }, -1001],
    ['', 2, { green: 1, swir16: 2 }, -1002],
  ])('finds the offset of %j (band %i, mapped %j)', (description, band, explicit, offset) => {
    expect(boaAddOffset(dataset, description, band, explicit)).toBe(offset);
  });

  it("reads GDAL's one-digit spelling, and gives NaN for a band it names no offset for", () => {
    expect(boaAddOffset({ BOA_ADD_OFFSET_B3: '-1000' }, 'B03', 1)).toBe(-1000);
    expect(boaAddOffset(dataset, '', 1)).toBeNaN();
    expect(boaAddOffset(dataset, 'B12', 1)).toBeNaN();
    expect(boaAddOffset({}, 'B03', 1)).toBeNaN();
  });
});
