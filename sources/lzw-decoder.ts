/** TIFF compression 5. */
export const TIFF_LZW = 5;

const CLEAR = 256;
const END_OF_INFORMATION = 257;
const FIRST_FREE = 258;
const MAX_WIDTH = 12;
const TABLE_SIZE = 1 << MAX_WIDTH;

/** What went wrong in an LZW block, with where: a decoder's message for the block reader to pass on. */
export class LzwDataError extends Error {}

/**
 * Decodes one TIFF LZW block (TIFF 6.0, section 13: codes of 9 to 12 bits, most significant bit first, the
 * width growing one code early) into at most `capacity` bytes, stopping there as libtiff does.
 *
 * geotiff.js's LZW decoder (3.0.5) takes any code past the table's end for the one code that may follow it,
 * so a corrupt block decodes to garbage without an error; it also runs off the end of the data with only a
 * console warning. Here a code that is not yet in the table fails (libtiff: "Using code not yet in table"),
 * and so does a block that ends before its first code.
 */
export function decodeLzw(input: Uint8Array, capacity: number): Uint8Array {
  if (input.length >= 2 && input[0] === 0 && (input[1]! & 1) === 1) {
    // libtiff's LZWPreDecode tells the pre-TIFF 6.0 ("old-style", LSB-first) codec apart by these bits.
    throw new LzwDataError('it uses the old-style (pre-TIFF 6.0) LZW coding, which is not supported');
  }
  const prefix = new Uint16Array(TABLE_SIZE);
  const last = new Uint8Array(TABLE_SIZE);
  const first = new Uint8Array(TABLE_SIZE);
  const length = new Uint16Array(TABLE_SIZE);
  for (let c = 0; c < 256; c++) {
    last[c] = c;
    first[c] = c;
    length[c] = 1;
  }
  // Most blocks decode to exactly `capacity` (the block size): start there unless the data is implausibly
  // small for it, e.g. a mask strip whose declared rows are far more than the image has.
  let out: Uint8Array = new Uint8Array(Math.min(capacity, Math.max(1 << 16, input.length * 16)));
  let pos = 0;
  let next = FIRST_FREE;
  let width = 9;
  let previous = -1;
  let bitBuffer = 0;
  let bits = 0;
  let at = 0;
  let codes = 0;
  for (;;) {
    while (bits < width && at < input.length) {
      bitBuffer = ((bitBuffer << 8) | input[at++]!) >>> 0;
      bits += 8;
    }
    // Data that ends without an end-of-information code ends the block (libtiff too): its length is checked
    // by the caller.
    if (bits < width) break;
    bits -= width;
    const code = (bitBuffer >>> bits) & ((1 << width) - 1);
    bitBuffer &= (1 << bits) - 1;
    codes++;
    if (code === END_OF_INFORMATION) break;
    if (code === CLEAR) {
      next = FIRST_FREE;
      width = 9;
      previous = -1;
      continue;
    }
    let string: number;
    let extra = -1;
    if (previous < 0) {
      if (code > 255) {
        throw new LzwDataError(
          `code ${code} at byte ${at} follows a clear code, where only a literal byte can`,
        );
      }
      string = code;
    } else if (code < next) {
      string = code;
    } else if (code === next) {
      // The one code the decoder may meet before defining it: the previous string plus its first byte.
      string = previous;
      extra = first[previous]!;
    } else {
      throw new LzwDataError(`code ${code} at byte ${at} is not yet in the table (next code ${next})`);
    }
    const n = length[string]! + (extra >= 0 ? 1 : 0);
    if (pos + n > out.length && out.length < capacity) out = grow(out, Math.min(capacity, 2 * (pos + n)));
    const end = Math.min(pos + n, out.length);
    // The string is a chain of prefixes: write it backwards, keeping only what fits in the block.
    let p = pos + n - 1;
    if (extra >= 0) {
      if (p < end) out[p] = extra;
      p--;
    }
    for (let c = string; p >= pos; c = prefix[c]!, p--) if (p < end) out[p] = last[c]!;
    pos = end;
    if (previous >= 0 && next < TABLE_SIZE) {
      prefix[next] = previous;
      last[next] = extra >= 0 ? extra : first[string]!;
      first[next] = first[previous]!;
      length[next] = length[previous]! + 1;
      next++;
      if (next + 1 >= 1 << width && width < MAX_WIDTH) width++;
    }
    previous = code;
    if (pos >= capacity) break;
  }
  if (codes === 0) throw new LzwDataError('it holds no LZW code');
  return pos === out.length ? out : out.slice(0, pos);
}

function grow(bytes: Uint8Array, size: number): Uint8Array {
  const bigger = new Uint8Array(size);
  bigger.set(bytes);
  return bigger;
}
