import type { PixelWindow } from '../sources/scene-source.ts';

/**
 * A scene cut into square windows (the last row and column may be narrower), plus the halo arithmetic
 * that lets a window see a few pixels of its neighbours without decoding them: each window publishes the
 * `halo`-pixel frame along its own border in pass 1, and pass 2 hands every window the ring of frame
 * pixels around it.
 */
export interface WindowGrid {
  sceneWidth: number;
  sceneHeight: number;
  size: number;
  cols: number;
  rows: number;
}

export function windowGrid(sceneWidth: number, sceneHeight: number, size: number): WindowGrid {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`window size must be a positive integer, got ${size}`);
  if (sceneWidth < 1 || sceneHeight < 1) throw new RangeError('scene must have at least one pixel');
  return {
    sceneWidth,
    sceneHeight,
    size,
    cols: Math.ceil(sceneWidth / size),
    rows: Math.ceil(sceneHeight / size),
  };
}

export function windowCount(grid: WindowGrid): number {
  return grid.cols * grid.rows;
}

export function windowAt(grid: WindowGrid, index: number): PixelWindow {
  const col = index % grid.cols;
  const row = Math.floor(index / grid.cols);
  const x0 = col * grid.size;
  const y0 = row * grid.size;
  return {
    x0,
    y0,
    x1: Math.min(x0 + grid.size, grid.sceneWidth),
    y1: Math.min(y0 + grid.size, grid.sceneHeight),
  };
}

export function windowIndexOf(grid: WindowGrid, x: number, y: number): number {
  return Math.floor(y / grid.size) * grid.cols + Math.floor(x / grid.size);
}

/** The pixels within `halo` of a window's border, as four strips (they overlap at the corners). */
export interface FrameStrips {
  halo: number;
  /** min(halo, height) rows × width, from the top row down. */
  top: Float32Array;
  /** min(halo, height) rows × width, ending with the bottom row. */
  bottom: Float32Array;
  /** height rows × min(halo, width) columns, from the left column. */
  left: Float32Array;
  /** height rows × min(halo, width) columns, ending with the right column. */
  right: Float32Array;
}

/** Cuts the frame out of a window's values (width × height, row-major). */
export function frameOf(values: Float32Array, width: number, height: number, halo: number): FrameStrips {
  const hy = Math.min(halo, height);
  const hx = Math.min(halo, width);
  const top = values.slice(0, hy * width);
  const bottom = values.slice((height - hy) * width, height * width);
  const left = new Float32Array(height * hx);
  const right = new Float32Array(height * hx);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < hx; k++) {
      left[y * hx + k] = values[y * width + k]!;
      right[y * hx + k] = values[y * width + width - hx + k]!;
    }
  }
  return { halo, top, bottom, left, right };
}

/** Value of scene pixel (x, y) from the frame of window `w`, which must hold it. */
export function frameValueAt(frame: FrameStrips, w: PixelWindow, x: number, y: number): number {
  const width = w.x1 - w.x0;
  const height = w.y1 - w.y0;
  const hy = Math.min(frame.halo, height);
  const hx = Math.min(frame.halo, width);
  const lx = x - w.x0;
  const ly = y - w.y0;
  if (lx < 0 || ly < 0 || lx >= width || ly >= height)
    throw new RangeError(`pixel (${x}, ${y}) is not in the window`);
  if (ly < hy) return frame.top[ly * width + lx]!;
  if (ly >= height - hy) return frame.bottom[(ly - (height - hy)) * width + lx]!;
  if (lx < hx) return frame.left[ly * hx + lx]!;
  if (lx >= width - hx) return frame.right[ly * hx + lx - (width - hx)]!;
  throw new RangeError(`pixel (${x}, ${y}) is inside the window, not on its ${frame.halo}-pixel frame`);
}

/** The `halo`-wide ring of pixels around a window (NaN outside the scene), as four strips. */
export interface RingStrips {
  halo: number;
  /** halo rows × (width + 2·halo): rows y0 − halo … y0 − 1, columns x0 − halo … x1 + halo − 1. */
  top: Float32Array;
  /** halo rows × (width + 2·halo): rows y1 … y1 + halo − 1. */
  bottom: Float32Array;
  /** height rows × halo: columns x0 − halo … x0 − 1. */
  left: Float32Array;
  /** height rows × halo: columns x1 … x1 + halo − 1. */
  right: Float32Array;
}

/** Builds the ring around `w` from a lookup of scene pixels (called only for pixels inside the scene). */
export function gatherRing(
  grid: WindowGrid,
  w: PixelWindow,
  halo: number,
  lookup: (x: number, y: number) => number,
): RingStrips {
  const width = w.x1 - w.x0;
  const height = w.y1 - w.y0;
  const full = width + 2 * halo;
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= grid.sceneWidth || y >= grid.sceneHeight ? Number.NaN : lookup(x, y);
  const top = new Float32Array(halo * full);
  const bottom = new Float32Array(halo * full);
  const left = new Float32Array(height * halo);
  const right = new Float32Array(height * halo);
  for (let k = 0; k < halo; k++) {
    for (let i = 0; i < full; i++) {
      top[k * full + i] = at(w.x0 - halo + i, w.y0 - halo + k);
      bottom[k * full + i] = at(w.x0 - halo + i, w.y1 + k);
    }
  }
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < halo; k++) {
      left[y * halo + k] = at(w.x0 - halo + k, w.y0 + y);
      right[y * halo + k] = at(w.x1 + k, w.y0 + y);
    }
  }
  return { halo, top, bottom, left, right };
}

/**
 * The `halo`-wide ring around window `index` from the frames the windows published (`frames[i]` is window
 * i's, null for a window without one): NaN outside the scene and where a frame is missing. The same ring
 * as gatherRing with a lookup of those frames, copied a strip or a row at a time instead of a pixel at a
 * time.
 */
export function ringFromFrames(
  grid: WindowGrid,
  frames: readonly (FrameStrips | null)[],
  index: number,
  halo: number,
): RingStrips {
  const w = windowAt(grid, index);
  const width = w.x1 - w.x0;
  const height = w.y1 - w.y0;
  const full = width + 2 * halo;
  const top = new Float32Array(halo * full);
  const bottom = new Float32Array(halo * full);
  const left = new Float32Array(height * halo);
  const right = new Float32Array(height * halo);
  for (let k = 0; k < halo; k++) {
    copySceneRow(grid, frames, w.x0 - halo, w.y0 - halo + k, full, top, k * full);
    copySceneRow(grid, frames, w.x0 - halo, w.y1 + k, full, bottom, k * full);
  }
  // A side neighbour at least `halo` wide holds the whole ring column in the side strip of its frame.
  const col = index % grid.cols;
  const west = col > 0 ? frames[index - 1] : null;
  const east = col < grid.cols - 1 ? frames[index + 1] : null;
  if (west && west.halo === halo && west.right.length === left.length) {
    left.set(west.right);
  } else {
    for (let y = 0; y < height; y++) copySceneRow(grid, frames, w.x0 - halo, w.y0 + y, halo, left, y * halo);
  }
  if (east && east.halo === halo && east.left.length === right.length) {
    right.set(east.left);
  } else {
    for (let y = 0; y < height; y++) copySceneRow(grid, frames, w.x1, w.y0 + y, halo, right, y * halo);
  }
  return { halo, top, bottom, left, right };
}

/** Copies scene pixels (x0 … x0 + length − 1, y) from the frames holding them into `out` at `at`. */
function copySceneRow(
  grid: WindowGrid,
  frames: readonly (FrameStrips | null)[],
  x0: number,
  y: number,
  length: number,
  out: Float32Array,
  at: number,
): void {
  const end = x0 + length;
  if (y < 0 || y >= grid.sceneHeight) {
    out.fill(Number.NaN, at, at + length);
    return;
  }
  const row = Math.floor(y / grid.size);
  const wy0 = row * grid.size;
  const height = Math.min(wy0 + grid.size, grid.sceneHeight) - wy0;
  let x = x0;
  if (x < 0) {
    x = Math.min(0, end);
    out.fill(Number.NaN, at, at + x - x0);
  }
  while (x < end && x < grid.sceneWidth) {
    const col = Math.floor(x / grid.size);
    const wx0 = col * grid.size;
    const width = Math.min(wx0 + grid.size, grid.sceneWidth) - wx0;
    const stop = Math.min(end, wx0 + width);
    const frame = frames[row * grid.cols + col];
    if (frame) copyFrameRow(frame, width, height, x - wx0, y - wy0, stop - x, out, at + x - x0);
    else out.fill(Number.NaN, at + x - x0, at + stop - x0);
    x = stop;
  }
  if (x < end) out.fill(Number.NaN, at + x - x0, at + length);
}

/** Copies `n` pixels of row `ly` of a width × height window from column `lx` on, out of its frame. */
function copyFrameRow(
  frame: FrameStrips,
  width: number,
  height: number,
  lx: number,
  ly: number,
  n: number,
  out: Float32Array,
  at: number,
): void {
  const hy = Math.min(frame.halo, height);
  const hx = Math.min(frame.halo, width);
  if (ly < hy || ly >= height - hy) {
    const strip = ly < hy ? frame.top : frame.bottom;
    const from = (ly < hy ? ly : ly - (height - hy)) * width + lx;
    out.set(strip.subarray(from, from + n), at);
    return;
  }
  for (let i = 0; i < n; i++) {
    const x = lx + i;
    if (x < hx) out[at + i] = frame.left[ly * hx + x]!;
    else if (x >= width - hx) out[at + i] = frame.right[ly * hx + x - (width - hx)]!;
    else throw new RangeError(`pixel (${x}, ${ly}) of the window is not on its ${frame.halo}-pixel frame`);
  }
}

/** The window's values surrounded by its ring: (width + 2·halo) × (height + 2·halo), row-major. */
export function withRing(
  core: Float32Array,
  width: number,
  height: number,
  ring: RingStrips,
  out: Float32Array = new Float32Array((width + 2 * ring.halo) * (height + 2 * ring.halo)),
): Float32Array {
  const h = ring.halo;
  const full = width + 2 * h;
  if (out.length !== full * (height + 2 * h))
    throw new RangeError('output must hold the window and its ring');
  out.set(ring.top, 0);
  for (let y = 0; y < height; y++) {
    const row = (y + h) * full;
    out.set(ring.left.subarray(y * h, y * h + h), row);
    out.set(core.subarray(y * width, y * width + width), row + h);
    out.set(ring.right.subarray(y * h, y * h + h), row + h + width);
  }
  out.set(ring.bottom, (height + h) * full);
  return out;
}

/**
 * A window's values rebuilt from its own frame alone, with `fill` everywhere inside it. For a window known
 * to be uniformly clear water (or land), everything pass 2 looks at is on the frame: the interior only has
 * to be of the same class.
 */
export function fromFrame(
  frame: FrameStrips,
  width: number,
  height: number,
  fill: number,
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  if (out.length !== width * height) throw new RangeError('output must hold width × height values');
  out.fill(fill);
  const hy = Math.min(frame.halo, height);
  const hx = Math.min(frame.halo, width);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < hx; k++) {
      out[y * width + k] = frame.left[y * hx + k]!;
      out[y * width + width - hx + k] = frame.right[y * hx + k]!;
    }
  }
  out.set(frame.top, 0);
  out.set(frame.bottom, (height - hy) * width);
  return out;
}
