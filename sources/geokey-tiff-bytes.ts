/**
 * Test support: a tiny uncompressed GeoTIFF (one 8-bit band) carrying any GeoKeys, as GDAL and libgeotiff
 * write them (SHORT values in the directory, DOUBLE ones in GeoDoubleParams, text in GeoAsciiParams). The
 * scene fixtures' writer (fixtures/geotiff-writer.ts) only writes EPSG codes.
 */

/** GeoKey name → [key id, 'short' | 'double' | 'ascii'], from the GeoTIFF 1.1 specification. */
const GEOKEYS: Record<string, [number, 'short' | 'double' | 'ascii']> = {
  GTModelTypeGeoKey: [1024, 'short'],
  GTRasterTypeGeoKey: [1025, 'short'],
  GTCitationGeoKey: [1026, 'ascii'],
  GeographicTypeGeoKey: [2048, 'short'],
  GeogCitationGeoKey: [2049, 'ascii'],
  GeogGeodeticDatumGeoKey: [2050, 'short'],
  GeogPrimeMeridianGeoKey: [2051, 'short'],
  GeogAngularUnitsGeoKey: [2054, 'short'],
  GeogEllipsoidGeoKey: [2056, 'short'],
  GeogSemiMajorAxisGeoKey: [2057, 'double'],
  GeogInvFlatteningGeoKey: [2059, 'double'],
  GeogPrimeMeridianLongGeoKey: [2061, 'double'],
  GeogTOWGS84GeoKey: [2062, 'double'],
  ProjectedCSTypeGeoKey: [3072, 'short'],
  ProjectionGeoKey: [3074, 'short'],
  ProjCoordTransGeoKey: [3075, 'short'],
  ProjLinearUnitsGeoKey: [3076, 'short'],
  ProjStdParallel1GeoKey: [3078, 'double'],
  ProjStdParallel2GeoKey: [3079, 'double'],
  ProjNatOriginLongGeoKey: [3080, 'double'],
  ProjNatOriginLatGeoKey: [3081, 'double'],
  ProjFalseEastingGeoKey: [3082, 'double'],
  ProjFalseNorthingGeoKey: [3083, 'double'],
  ProjCenterLongGeoKey: [3088, 'double'],
  ProjCenterLatGeoKey: [3089, 'double'],
  ProjScaleAtNatOriginGeoKey: [3092, 'double'],
  ProjScaleAtCenterGeoKey: [3093, 'double'],
  ProjAzimuthAngleGeoKey: [3094, 'double'],
  ProjStraightVertPoleLongGeoKey: [3095, 'double'],
  ProjRectifiedGridAngleGeoKey: [3096, 'double'],
};

export type GeoKeyValues = Record<string, number | number[] | string>;

/**
 * A width×height GeoTIFF whose upper-left corner is at (x0, y0) in model space, with square pixels of
 * `pixelSize`, described by `keys`.
 */
export function geoKeyTiff(
  keys: GeoKeyValues,
  origin: { x0: number; y0: number; pixelSize: number },
  width = 4,
  height = 4,
): Uint8Array {
  const directory: number[] = [];
  const doubles: number[] = [];
  let ascii = '';
  const entries = Object.entries(keys)
    .map(([name, value]) => {
      const spec = GEOKEYS[name];
      if (!spec) throw new Error(`unknown GeoKey ${name}`);
      return [spec, value] as const;
    })
    .sort(([a], [b]) => a[0] - b[0]);
  for (const [[id, type], value] of entries) {
    if (type === 'short') directory.push(id, 0, 1, value as number);
    else if (type === 'double') {
      const values = Array.isArray(value) ? value : [value as number];
      directory.push(id, 34736, values.length, doubles.length);
      doubles.push(...values);
    } else {
      const text = `${value as string}|`;
      directory.push(id, 34737, text.length, ascii.length);
      ascii += text;
    }
  }
  directory.unshift(1, 1, 0, entries.length);

  // Tag → [type, values]; TIFF types: 2 ASCII, 3 SHORT, 4 LONG, 12 DOUBLE.
  const pixels = width * height;
  const tags: [number, number, number[] | string][] = [
    [256, 3, [width]],
    [257, 3, [height]],
    [258, 3, [8]],
    [259, 3, [1]],
    [262, 3, [1]],
    [273, 4, [0]], // patched below
    [277, 3, [1]],
    [278, 3, [height]],
    [279, 4, [pixels]],
    [33550, 12, [origin.pixelSize, origin.pixelSize, 0]],
    [33922, 12, [0, 0, 0, origin.x0, origin.y0, 0]],
    [34735, 3, directory],
  ];
  if (doubles.length) tags.push([34736, 12, doubles]);
  if (ascii) tags.push([34737, 2, `${ascii}\0`]);

  const size = (type: number) => (type === 12 ? 8 : type === 4 ? 4 : type === 3 ? 2 : 1);
  const count = (v: number[] | string) => v.length;
  const ifdSize = 2 + 12 * tags.length + 4;
  let extra = 8 + ifdSize;
  const placed = tags.map(([tag, type, v]) => {
    const bytes = size(type) * count(v);
    const at = bytes > 4 ? extra : -1;
    if (bytes > 4) extra += bytes + (bytes % 2);
    return { tag, type, v, at };
  });
  const dataAt = extra;
  const out = new Uint8Array(dataAt + pixels);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0], 0);
  view.setUint32(4, 8, true);
  view.setUint16(8, tags.length, true);
  const write = (offset: number, type: number, v: number[] | string) => {
    for (let i = 0; i < v.length; i++) {
      const at = offset + i * size(type);
      if (typeof v === 'string') out[at] = v.charCodeAt(i);
      else if (type === 12) view.setFloat64(at, v[i]!, true);
      else if (type === 4) view.setUint32(at, v[i]!, true);
      else view.setUint16(at, v[i]!, true);
    }
  };
  placed.forEach(({ tag, type, v, at }, i) => {
    const entry = 10 + 12 * i;
    view.setUint16(entry, tag, true);
    view.setUint16(entry + 2, type, true);
    view.setUint32(entry + 4, count(v), true);
    const values = tag === 273 ? [dataAt] : v;
    if (at < 0) write(entry + 8, type, values);
    else {
      view.setUint32(entry + 8, at, true);
      write(at, type, values);
    }
  });
  for (let i = 0; i < pixels; i++) out[dataAt + i] = i % 251;
  return out;
}
