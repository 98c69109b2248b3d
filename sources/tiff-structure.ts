import type { GeoTIFFImage } from 'geotiff';
import { TidemarkError } from '../common/errors.ts';
import { boaAddOffset, resolveBandMap } from './band-mapping.ts';
import type { ByteReader } from './byte-reader.ts';
import { parseGdalMetadata } from './gdal-metadata.ts';
import { geotiffLib } from './geotiff-lib.ts';
import type { OpenGeoTiffOptions } from './geotiff-source.ts';
import { PHOTOMETRIC_YCBCR, SUPPORTED_YCBCR_SUBSAMPLING, YCbCrJpegDecoder } from './jpeg-ycbcr.ts';
import { decodeLzw, TIFF_LZW } from './lzw-decoder.ts';
import {
  type BlockDecoder,
  boundedBlockDecoder,
  DEFLATE_CODES,
  NativeDeflateDecoder,
} from './native-deflate.ts';
import { crsFromGeoKeys, geoTransformFromTags } from './scene-crs.ts';
import { sceneDateFromMetadata } from './scene-date.ts';
import type { GeoTransform, SceneInfo } from './scene-source.ts';
import { readFirstIfdIntegerArrays, type TiffHeader } from './tiff-header.ts';
import {
  type BlockParameters,
  checkBlockSize,
  checkCompression,
  compressionName,
  decodedBlockBytes,
  numbers,
  parseNodata,
  type SampleKind,
  sampleKindOf,
} from './tiff-layout.ts';
import { decodeZstd, initZstd, TIFF_ZSTD } from './zstd-decoder.ts';

/*
 * What a GeoTIFF's first directory says, read before any pixel: the scene description (size, CRS,
 * geotransform, bands, date, nodata, scale) and the block layout (tiles or strips, offsets, sample type).
 */

const TAG_STRIP_OFFSETS = 273;
const TAG_STRIP_BYTE_COUNTS = 279;
const TAG_TILE_OFFSETS = 324;
const TAG_TILE_BYTE_COUNTS = 325;

export interface BlockLayout {
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  planar: 1 | 2;
  samplesPerPixel: number;
  kind: SampleKind;
  littleEndian: boolean;
  offsets: Float64Array;
  byteCounts: Float64Array;
  predictor: number;
}

export async function describe(
  fileName: string,
  image: GeoTIFFImage,
  maxPixels: number,
  options: OpenGeoTiffOptions,
  date: string | undefined,
): Promise<{ info: SceneInfo; nodata: number | null; scales: number[]; offsets: number[] }> {
  const fd = image.getFileDirectory();
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width > 0 && height > 0))
    throw new TidemarkError('CORRUPT_DATA', `${fileName} declares an empty raster (${width}×${height})`);
  if (width * height > maxPixels) {
    throw new TidemarkError(
      'TOO_LARGE',
      `${fileName} declares ${width}×${height} = ${(width * height).toExponential(2)} pixels, over the limit of ` +
        `${maxPixels.toExponential(2)} (--max-pixels)`,
      { details: { width, height, maxPixels } },
    );
  }
  const compression = Number(fd.getValue('Compression') ?? 1);
  checkCompression(fileName, compression);
  const samplesPerPixel = image.getSamplesPerPixel();
  const bits = numbers(await fd.loadValue('BitsPerSample'));
  const formats = numbers(await fd.loadValue('SampleFormat'));
  const kind = sampleKindOf(fileName, bits.length ? bits : [8], formats.length ? formats : [1]);
  await checkPhotometric(fileName, image, compression, kind);
  const isTiled = !fd.hasTag('StripOffsets');
  const blockWidth = isTiled ? image.getTileWidth() : width;
  const blockHeight = isTiled ? image.getTileHeight() : Math.min(image.getTileHeight(), height);
  const planar = Number(fd.getValue('PlanarConfiguration') ?? 1);
  checkBlockSize(
    fileName,
    {
      tiled: isTiled,
      width: blockWidth,
      height: blockHeight,
      samples: planar === 2 ? 1 : samplesPerPixel,
      kind,
    },
    maxPixels,
  );

  const geoKeys = image.getGeoKeys() as Record<string, unknown> | null;
  const gtRaw = geoTransformFromTags(
    fileName,
    {
      tiepoint: numbers(fd.getValue('ModelTiepoint')),
      pixelScale: numbers(fd.getValue('ModelPixelScale')),
      transformation: numbers(fd.getValue('ModelTransformation')),
    },
    geoKeys?.GTRasterTypeGeoKey,
  );
  const crs = await crsFromGeoKeys(fileName, geoKeys);
  const geoTransform = gtRaw.map((v) => v * crs.angularScale) as GeoTransform;

  const metadata = parseGdalMetadata((await fd.loadValue('GDAL_METADATA')) as string | undefined);
  const descriptions: string[] = [];
  const scales: number[] = [];
  const offsets: number[] = [];
  for (let s = 0; s < samplesPerPixel; s++) {
    const band = metadata.bands.get(s) ?? {};
    descriptions.push(band.description ?? band.DESCRIPTION ?? '');
    const scale = Number(band.scale ?? band.SCALE ?? 1);
    const offset = Number(band.offset ?? band.OFFSET ?? 0);
    const s0 = Number.isFinite(scale) && scale !== 0 ? scale : 1;
    // Sentinel-2 L2A (processing baseline ≥ 04.00) stores DN = reflectance·10000 − BOA_ADD_OFFSET; GDAL
    // exposes it per band name (found from the description or the band's mapping: boaAddOffset). It applies
    // to DN before scaling.
    const boa = Number(
      band.BOA_ADD_OFFSET ?? boaAddOffset(metadata.dataset, descriptions[s]!, s + 1, options.bands),
    );
    offsets.push((Number.isFinite(offset) ? offset : 0) + (Number.isFinite(boa) ? boa : 0) * s0);
    scales.push(s0);
  }
  const nodata = parseNodata(fd.getValue('GDAL_NODATA') as string | undefined, kind);
  const quantification = Number(
    metadata.dataset.BOA_QUANTIFICATION_VALUE ?? metadata.dataset.QUANTIFICATION_VALUE ?? Number.NaN,
  );
  const scaled = [...metadata.bands.values()].filter((b) => (b.scale ?? b.SCALE) !== undefined).length;
  const reflectanceScale =
    scaled === samplesPerPixel && scaled > 0
      ? 1
      : quantification > 0 && scaled === 0
        ? 1 / quantification
        : null;
  const bandMap = resolveBandMap(descriptions, samplesPerPixel, options.bands);
  const tiffDate = (await fd.loadValue('DateTime')) as string | undefined;
  const info: SceneInfo = {
    fileName,
    width,
    height,
    epsg: crs.epsg,
    proj4: crs.proj4,
    crsUnits: crs.crsUnits,
    metresPerUnit: crs.metresPerUnit,
    geoTransform,
    date: date ?? sceneDateFromMetadata(metadata.dataset, tiffDate ?? null),
    bandMap,
    bandDescriptions: descriptions,
    nodata,
    reflectanceScale,
    blockWidth,
    blockHeight,
  };
  return { info, nodata, scales, offsets };
}

/**
 * YCbCr samples are read as RGB only where libjpeg converts them for GDAL: 8-bit JPEG, three samples
 * interleaved, chroma subsampled by 1 or 2 across and down (jpeg-ycbcr.ts). Elsewhere they would be read as
 * luma and chroma for red, green and blue bands, so they are rejected by name.
 */
async function checkPhotometric(
  fileName: string,
  image: GeoTIFFImage,
  compression: number,
  kind: SampleKind,
): Promise<void> {
  const fd = image.getFileDirectory();
  if (Number(fd.getValue('PhotometricInterpretation')) !== PHOTOMETRIC_YCBCR) return;
  const [subX, subY] = await ycbcrSubsampling(image);
  const planar = Number(fd.getValue('PlanarConfiguration') ?? 1);
  const samples = image.getSamplesPerPixel();
  const why =
    compression !== 7
      ? `${compressionName(compression)} compression (only JPEG's YCbCr is converted to RGB)`
      : kind !== 'uint8' || samples !== 3 || planar !== 1
        ? `${samples} ${kind} samples ${planar === 2 ? 'in separate planes' : 'per pixel'} (JPEG YCbCr needs 3 interleaved 8-bit samples)`
        : !SUPPORTED_YCBCR_SUBSAMPLING.some(([x, y]) => x === subX && y === subY)
          ? `YCbCrSubSampling ${subX},${subY} (supported: 1,1, 2,1 and 2,2)`
          : null;
  if (why === null) return;
  throw new TidemarkError(
    'UNSUPPORTED',
    `${fileName} has PhotometricInterpretation YCbCr with ${why}, which is not supported; convert it to RGB, ` +
      'e.g. gdal_translate -co COMPRESS=DEFLATE -co PHOTOMETRIC=RGB in.tif out.tif',
    { details: { photometric: PHOTOMETRIC_YCBCR, compression } },
  );
}

/** YCbCrSubSampling, [2, 2] when absent (TIFF 6.0, section 21). */
async function ycbcrSubsampling(image: GeoTIFFImage): Promise<[number, number]> {
  const values = numbers(await image.getFileDirectory().loadValue('YCbCrSubSampling'));
  return [values[0] ?? 2, values[1] ?? 2];
}

export async function blockLayout(
  reader: ByteReader,
  header: TiffHeader,
  image: GeoTIFFImage,
  info: SceneInfo,
): Promise<BlockLayout> {
  const fileName = info.fileName;
  const fd = image.getFileDirectory();
  const tiled = !fd.hasTag('StripOffsets');
  const planarValue = Number(fd.getValue('PlanarConfiguration') ?? 1);
  if (planarValue !== 1 && planarValue !== 2) {
    throw new TidemarkError(
      'UNSUPPORTED',
      `${fileName} has planar configuration ${planarValue}, which is not supported`,
    );
  }
  const planar = planarValue as 1 | 2;
  const samplesPerPixel = image.getSamplesPerPixel();
  const bits = numbers(await fd.loadValue('BitsPerSample'));
  const formats = numbers(await fd.loadValue('SampleFormat'));
  const kind = sampleKindOf(fileName, bits.length ? bits : [8], formats.length ? formats : [1]);
  const blockWidth = info.blockWidth;
  const blockHeight = info.blockHeight;
  if (!(blockWidth > 0 && blockHeight > 0)) {
    throw new TidemarkError(
      'CORRUPT_DATA',
      `${fileName} declares an invalid block size ${blockWidth}×${blockHeight}`,
    );
  }
  const blocksAcross = Math.ceil(info.width / blockWidth);
  const blocksDown = Math.ceil(info.height / blockHeight);
  const expected = blocksAcross * blocksDown * (planar === 2 ? samplesPerPixel : 1);
  const offsetTag = tiled ? TAG_TILE_OFFSETS : TAG_STRIP_OFFSETS;
  const countTag = tiled ? TAG_TILE_BYTE_COUNTS : TAG_STRIP_BYTE_COUNTS;
  const fileSize = reader.size;
  const arrays = await readFirstIfdIntegerArrays(reader, fileName, header, [offsetTag, countTag]);
  const offsets = arrays.get(offsetTag) ?? new Float64Array(0);
  const byteCounts = arrays.get(countTag) ?? new Float64Array(0);
  if (offsets.length < expected || byteCounts.length < expected) {
    throw new TidemarkError(
      'CORRUPT_DATA',
      `${fileName} lists ${offsets.length} ${tiled ? 'tiles' : 'strips'} but its size needs ${expected}`,
    );
  }
  for (let i = 0; i < expected; i++) {
    const end = offsets[i]! + byteCounts[i]!;
    if (byteCounts[i]! > 0 && end > fileSize) {
      throw new TidemarkError(
        'TRUNCATED_FILE',
        `${fileName} is truncated: ${tiled ? 'tile' : 'strip'} ${i} ends at byte ${end} but the file has only ${fileSize} bytes`,
        { details: { fileSize, blockEnd: end } },
      );
    }
  }
  return {
    tiled,
    blockWidth,
    blockHeight,
    blocksAcross,
    blocksDown,
    planar,
    samplesPerPixel,
    kind,
    littleEndian: header.littleEndian,
    offsets,
    byteCounts,
    predictor: Number((await fd.loadValue('Predictor')) ?? 1) || 1,
  };
}

/** What builds a block decoder: the TIFF compression and geotiff.js's decoder parameters (plain data). */
export interface DecoderSpec {
  compression: number;
  parameters: Record<string, unknown>;
}

export async function decoderSpecOf(image: GeoTIFFImage, layout: BlockLayout): Promise<DecoderSpec> {
  const fd = image.getFileDirectory();
  const compression = Number(fd.getValue('Compression') ?? 1);
  const parameters: Record<string, unknown> = {
    tileWidth: layout.blockWidth,
    tileHeight: layout.blockHeight,
    planarConfiguration: layout.planar,
    bitsPerSample: numbers(await fd.loadValue('BitsPerSample')),
    // Horizontal differencing (2) is undone in readBlock, after any byte swap, so it also works on
    // big-endian files; the byte-wise floating-point predictor (3) is left to geotiff.js.
    predictor: layout.predictor === 3 ? 3 : 1,
    samplesPerPixel: layout.samplesPerPixel,
  };
  if (compression === 34887) parameters.LercParameters = await fd.loadValue('LercParameters');
  if (compression === 7) parameters.JPEGTables = await fd.loadValue('JPEGTables');
  // describe() let YCbCr through only where decoderOf converts it.
  if (Number(fd.getValue('PhotometricInterpretation')) === PHOTOMETRIC_YCBCR)
    parameters.ycbcrSubsampling = await ycbcrSubsampling(image);
  return { compression, parameters };
}

/**
 * The decoder of a spec: with no predictor left to apply, our own for DEFLATE, LZW and ZSTD (which need
 * nothing of geotiff.js), else geotiff.js's, with ours registered in it for those (geotiff-lib.ts). Each of
 * ours stops at the block's size (decodedBlockBytes).
 */
export async function decoderOf(spec: DecoderSpec): Promise<BlockDecoder> {
  if (spec.parameters.predictor === 1) {
    const capacity = decodedBlockBytes(spec.parameters as unknown as BlockParameters);
    if (DEFLATE_CODES.includes(spec.compression)) return new NativeDeflateDecoder(capacity);
    if (spec.compression === TIFF_LZW) return boundedBlockDecoder(decodeLzw, capacity);
    if (spec.compression === TIFF_ZSTD) {
      await initZstd();
      return boundedBlockDecoder(decodeZstd, capacity);
    }
  }
  const { getDecoder } = await geotiffLib();
  const decoder = await getDecoder(
    spec.compression,
    spec.parameters as unknown as Parameters<typeof getDecoder>[1],
  );
  const ycbcr = spec.parameters.ycbcrSubsampling as [number, number] | undefined;
  return ycbcr
    ? new YCbCrJpegDecoder(decoder, Number(spec.parameters.tileWidth), ycbcr[0], ycbcr[1])
    : decoder;
}
