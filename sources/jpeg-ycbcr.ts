import type { BlockDecoder } from './native-deflate.ts';

/** TIFF PhotometricInterpretation 6: samples are Y, Cb, Cr (TIFF 6.0, section 21). */
export const PHOTOMETRIC_YCBCR = 6;

/** Chroma subsampling (YCbCrSubSampling) of the JPEG-in-TIFF blocks we convert: what libjpeg upsamples. */
export const SUPPORTED_YCBCR_SUBSAMPLING: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 1],
  [2, 2],
];

/*
 * libjpeg's YCbCr → RGB tables (jdcolor.c, build_ycc_rgb_table): JFIF full-range coefficients in 16-bit
 * fixed point, so the RGB values equal GDAL's (libtiff asks libjpeg for RGB: JPEGCOLORMODE_RGB).
 */
const SCALE_BITS = 16;
const ONE_HALF = 1 << (SCALE_BITS - 1);
const fix = (x: number) => Math.round(x * (1 << SCALE_BITS));
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = (fix(1.402) * x + ONE_HALF) >> SCALE_BITS;
  CB_B[i] = (fix(1.772) * x + ONE_HALF) >> SCALE_BITS;
  CR_G[i] = -fix(0.71414) * x;
  CB_G[i] = -fix(0.34414) * x + ONE_HALF;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Turns one decoded JPEG block of Y, Cb, Cr samples into R, G, B in place, as libjpeg does for GDAL.
 *
 * geotiff.js's JPEG decoder (3.0.5) returns the components as stored, its chroma repeated over each
 * `subX`×`subY` group of pixels, and leaves colour conversion to its readRGB; read as bands, a YCbCr file
 * gave luma and chroma for red, green and blue. Each chroma plane is taken back at its stored resolution and
 * upsampled with libjpeg's "fancy" triangle filter (jdsample.c, h2v1/h2v2_fancy_upsample: edge rows and
 * columns repeated), then converted with libjpeg's tables; the result matches GDAL's up to the inverse DCT's
 * rounding.
 */
export function convertYCbCrBlock(block: Uint8Array, width: number, subX: number, subY: number): void {
  const height = block.length / (3 * width);
  const cw = Math.ceil(width / subX);
  const ch = Math.ceil(height / subY);
  const cb = new Int32Array(cw * ch);
  const cr = new Int32Array(cw * ch);
  for (let j = 0; j < ch; j++) {
    for (let i = 0; i < cw; i++) {
      const at = (j * subY * width + i * subX) * 3;
      cb[j * cw + i] = block[at + 1]!;
      cr[j * cw + i] = block[at + 2]!;
    }
  }
  const cbRow = new Int32Array(2 * cw);
  const crRow = new Int32Array(2 * cw);
  for (let y = 0; y < height; y++) {
    const j = Math.floor(y / subY);
    if (subX === 1 && subY === 1) {
      cbRow.set(cb.subarray(j * cw, j * cw + cw));
      crRow.set(cr.subarray(j * cw, j * cw + cw));
    } else if (subY === 1) {
      upsampleRowH2V1(cb, j * cw, cw, cbRow);
      upsampleRowH2V1(cr, j * cw, cw, crRow);
    } else {
      // The upper output row of a pair leans on the chroma row above, the lower one on the row below.
      const near = y % 2 === 0 ? Math.max(0, j - 1) : Math.min(ch - 1, j + 1);
      upsampleRowH2V2(cb, j * cw, near * cw, cw, cbRow);
      upsampleRowH2V2(cr, j * cw, near * cw, cw, crRow);
    }
    for (let x = 0, at = y * width * 3; x < width; x++, at += 3) {
      const luma = block[at]!;
      const cbx = cbRow[x]!;
      const crx = crRow[x]!;
      block[at] = clamp(luma + CR_R[crx]!);
      block[at + 1] = clamp(luma + ((CB_G[cbx]! + CR_G[crx]!) >> SCALE_BITS));
      block[at + 2] = clamp(luma + CB_B[cbx]!);
    }
  }
}

/** libjpeg's h2v1_fancy_upsample for one row: 3/4 of the nearer sample plus 1/4 of the farther one. */
function upsampleRowH2V1(plane: Int32Array, row: number, cw: number, out: Int32Array): void {
  if (cw === 1) {
    out[0] = out[1] = plane[row]!;
    return;
  }
  out[0] = plane[row]!;
  out[1] = (plane[row]! * 3 + plane[row + 1]! + 2) >> 2;
  for (let i = 1; i < cw - 1; i++) {
    const v = plane[row + i]! * 3;
    out[2 * i] = (v + plane[row + i - 1]! + 1) >> 2;
    out[2 * i + 1] = (v + plane[row + i + 1]! + 2) >> 2;
  }
  const last = plane[row + cw - 1]!;
  out[2 * cw - 2] = (last * 3 + plane[row + cw - 2]! + 1) >> 2;
  out[2 * cw - 1] = last;
}

/** libjpeg's h2v2_fancy_upsample for one output row: the triangle filter in both directions. */
function upsampleRowH2V2(plane: Int32Array, row: number, near: number, cw: number, out: Int32Array): void {
  const sum = (i: number) => plane[row + i]! * 3 + plane[near + i]!;
  if (cw === 1) {
    out[0] = (sum(0) * 4 + 8) >> 4;
    out[1] = (sum(0) * 4 + 7) >> 4;
    return;
  }
  let lastSum = sum(0);
  let thisSum = lastSum;
  let nextSum = sum(1);
  out[0] = (thisSum * 4 + 8) >> 4;
  out[1] = (thisSum * 3 + nextSum + 7) >> 4;
  for (let i = 1; i < cw - 1; i++) {
    lastSum = thisSum;
    thisSum = nextSum;
    nextSum = sum(i + 1);
    out[2 * i] = (thisSum * 3 + lastSum + 8) >> 4;
    out[2 * i + 1] = (thisSum * 3 + nextSum + 7) >> 4;
  }
  lastSum = thisSum;
  thisSum = nextSum;
  out[2 * cw - 2] = (thisSum * 3 + lastSum + 8) >> 4;
  out[2 * cw - 1] = (thisSum * 4 + 7) >> 4;
}

/** A JPEG block decoder whose Y, Cb, Cr output is converted to R, G, B (convertYCbCrBlock). */
export class YCbCrJpegDecoder implements BlockDecoder {
  constructor(
    private readonly jpeg: BlockDecoder,
    private readonly width: number,
    private readonly subX: number,
    private readonly subY: number,
  ) {}

  async decode(buffer: ArrayBufferLike): Promise<ArrayBufferLike> {
    const decoded = await this.jpeg.decode(buffer);
    const bytes = new Uint8Array(decoded);
    if (bytes.length === 0 || bytes.length % (3 * this.width) !== 0) {
      throw new Error(
        `its JPEG image holds ${bytes.length} bytes, not whole rows of ${this.width} Y, Cb, Cr pixels`,
      );
    }
    convertYCbCrBlock(bytes, this.width, this.subX, this.subY);
    return decoded;
  }
}
