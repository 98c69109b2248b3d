import type { SceneInfo } from './scene-source.ts';

/**
 * Scale, offset and nodata of one band, given outside the file: a STAC asset's `raster:bands` (STAC 1.0) or
 * `bands` with `raster:scale`/`raster:offset`/`nodata` (STAC 1.1). Earth Search expresses the Sentinel-2
 * L2A BOA offset this way (scale 0.0001, offset −0.1) and leaves the files without it.
 */
export interface AssetRadiometry {
  scale?: number;
  offset?: number;
  nodata?: number;
}

interface Described {
  info: SceneInfo;
  nodata: number | null;
  scales: number[];
  offsets: number[];
}

/**
 * A GeoTIFF's description with an asset's radiometry filled in where the file says nothing: a band whose
 * file metadata gives no scale, offset or BOA offset takes the asset's scale and offset, and a file without
 * nodata takes the asset's (when its bands agree on one). The file's own metadata wins, so an offset given
 * in both places is applied once. Reflectance is then 1 when the asset scaled every band.
 */
export function withAssetRadiometry(
  described: Described,
  radiometry: readonly (AssetRadiometry | undefined)[] | undefined,
): Described {
  if (!radiometry || radiometry.length === 0) return described;
  const scales = [...described.scales];
  const offsets = [...described.offsets];
  let fromAsset = 0;
  scales.forEach((scale, s) => {
    const r = radiometry[s];
    // The file's own scale, offset or BOA offset wins.
    if (!r || scale !== 1 || offsets[s] !== 0) return;
    if (r.scale === undefined && r.offset === undefined) return;
    scales[s] = r.scale ?? 1;
    offsets[s] = r.offset ?? 0;
    if (r.scale !== undefined) fromAsset++;
  });
  const given = new Set(radiometry.map((r) => r?.nodata).filter((n) => n !== undefined));
  const nodata = described.nodata ?? (given.size === 1 ? [...given][0]! : null);
  return {
    info: {
      ...described.info,
      nodata,
      reflectanceScale:
        fromAsset > 0 && fromAsset === Math.min(scales.length, radiometry.length)
          ? 1
          : described.info.reflectanceScale,
    },
    nodata,
    scales,
    offsets,
  };
}
