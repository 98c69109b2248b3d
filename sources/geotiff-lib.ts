import type * as GeoTiffModule from 'geotiff';
import { lzmaDecoderClass, TIFF_LZMA } from './lzma-decoder.ts';
import { decodeLzw, TIFF_LZW } from './lzw-decoder.ts';
import { boundedDecoderClass, DEFLATE_CODES, nativeDeflateDecoderClass } from './native-deflate.ts';
import { decodeZstd, initZstd, TIFF_ZSTD } from './zstd-decoder.ts';

export type GeoTiffLib = typeof GeoTiffModule;

let loading: Promise<GeoTiffLib> | undefined;

/**
 * geotiff.js, imported on first use, with our decoders registered in it: native zlib for DEFLATE, LZMA, and
 * strict LZW and ZSTD.
 * Extraction workers decode DEFLATE blocks without it (native-deflate.ts) and restore the scene from the
 * main thread's snapshot, so a worker only loads it for another compression or a mask image. Importing it
 * (and Node's http, https and tls, which its HTTP client pulls in) costs a thread about 25 ms of its
 * start-up.
 */
export function geotiffLib(): Promise<GeoTiffLib> {
  loading ??= import('geotiff').then((lib) => {
    lib.addDecoder([...DEFLATE_CODES], async () => nativeDeflateDecoderClass(lib.BaseDecoder));
    // The native LZMA module loads only for an LZMA file (whose checkCompression made sure it can).
    lib.addDecoder(TIFF_LZMA, async () => lzmaDecoderClass(lib.BaseDecoder));
    // Ours fail on corrupt data where geotiff.js's decode garbage (LZW) or hang (ZSTD).
    lib.addDecoder(TIFF_LZW, async () => boundedDecoderClass(lib.BaseDecoder, decodeLzw));
    lib.addDecoder(TIFF_ZSTD, async () => {
      await initZstd();
      return boundedDecoderClass(lib.BaseDecoder, decodeZstd);
    });
    return lib;
  });
  return loading;
}
