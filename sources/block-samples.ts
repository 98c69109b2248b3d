import type { SampleArray } from './tiff-layout.ts';

/*
 * The per-sample loops of block decoding: they run over every sample read, so each array type gets its own
 * monomorphic loop.
 */

/**
 * Like copyU16 for one row of a single-sample block still holding predictor-2 differences: the running
 * sum starts at the row's first sample (`skip` samples before the window) and wraps at 16 bits.
 */
export function copyU16Predicted(
  block: Uint16Array,
  rowStart: number,
  skip: number,
  out: Float32Array,
  dst: number,
  end: number,
  nodata: number,
  scale: number,
  offset: number,
): void {
  let acc = 0;
  let src = rowStart;
  for (const stop = rowStart + skip; src < stop; src++) acc = (acc + block[src]!) & 0xffff;
  if (scale === 1 && offset === 0) {
    for (; dst < end; src++, dst++) {
      acc = (acc + block[src]!) & 0xffff;
      out[dst] = acc === nodata ? Number.NaN : acc;
    }
  } else {
    for (; dst < end; src++, dst++) {
      acc = (acc + block[src]!) & 0xffff;
      out[dst] = acc === nodata ? Number.NaN : acc * scale + offset;
    }
  }
}

/** Uint16 samples → reflectance; `nodata` −1 when there is none (no uint16 value equals it). */
export function copyU16(
  block: Uint16Array,
  src: number,
  stride: number,
  out: Float32Array,
  dst: number,
  end: number,
  nodata: number,
  scale: number,
  offset: number,
): void {
  if (scale === 1 && offset === 0) {
    for (; dst < end; src += stride, dst++) {
      const raw = block[src]!;
      out[dst] = raw === nodata ? Number.NaN : raw;
    }
  } else {
    for (; dst < end; src += stride, dst++) {
      const raw = block[src]!;
      out[dst] = raw === nodata ? Number.NaN : raw * scale + offset;
    }
  }
}

/** TIFF predictor 2: each sample was stored as the difference from the one `stride` samples before it. */
export function undoHorizontalDifferencing(
  view: SampleArray,
  width: number,
  rows: number,
  stride: number,
): void {
  // One monomorphic loop per array type: this runs over every decoded sample.
  if (view instanceof Uint16Array) accumulateU16(view, width, rows, stride);
  else accumulateAny(view, width, rows, stride);
}

function accumulateU16(view: Uint16Array, width: number, rows: number, stride: number): void {
  const rowLength = width * stride;
  for (let y = 0; y < rows; y++) {
    const start = y * rowLength;
    const end = Math.min(start + rowLength, view.length);
    for (let i = start + stride; i < end; i++) view[i] = view[i]! + view[i - stride]!;
  }
}

function accumulateAny(view: SampleArray, width: number, rows: number, stride: number): void {
  const rowLength = width * stride;
  for (let y = 0; y < rows; y++) {
    const start = y * rowLength;
    const end = Math.min(start + rowLength, view.length);
    // Typed-array stores wrap modulo 2^bits, exactly as the encoder's subtraction did.
    for (let i = start + stride; i < end; i++) view[i] = view[i]! + view[i - stride]!;
  }
}
