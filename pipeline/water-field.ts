import { keepShape } from '../common/keep-shape.ts';
import { type ScratchArena, scratchFloat64, scratchUint8 } from '../common/scratch-arena.ts';
import { type ClassSplit, clearLimits, type LevelGrid, sampleLevels } from './block-levels.ts';
import { CLASS_INVALID, CLASS_LAND, CLASS_WATER } from './marching-squares.ts';

// Module-local copies: under tsx in a worker thread, imported bindings become property getters, and
// these are read for every pixel.
const INVALID = CLASS_INVALID;
const LAND = CLASS_LAND;
const WATER = CLASS_WATER;
const sample = sampleLevels;

/** Smallest land − water contrast of the contour band for its levels to be trusted at a pixel. */
const MIN_LEVEL_CONTRAST = 1e-3;
/** A water pixel's field is at least this, so it stays strictly on the water side of the contour. */
const WATER_EPSILON = 1e-6;
/**
 * Local endmembers: the water and land levels at a pixel are the mean contour band of the pure pixels in
 * its (2·LOCAL_RADIUS + 1)² neighbourhood (land texture and turbidity vary within a few pixels; block
 * levels alone left ~0.4 m of error on the fixtures), falling back to the block levels when fewer than
 * LOCAL_MIN are pure. Callers must provide LOCAL_RADIUS + 1 pixels of halo around what they classify.
 */
export const LOCAL_RADIUS = 2;
const LOCAL_MIN = 2;
/**
 * "Pure" is stricter than "clear": within PURE_SHARE of the way from the threshold to the class mean.
 * MNDWI is far from linear in the water fraction, so a pixel a fifth water still looks clear land; taking it
 * as an endmember biased the line landward.
 */
const PURE_SHARE = 0.9;

export interface WaterFieldInput {
  width: number;
  height: number;
  /** Scene pixel coordinates of pixel (0, 0) of the arrays. */
  originX: number;
  originY: number;
  /** Water index per pixel (NaN = invalid). */
  index: Float32Array;
  /** Contour band (dark over water) per pixel, or null to contour the index itself. */
  band: Float32Array | null;
  split: ClassSplit;
  /** Local levels of the contour band, or null to contour the index itself. */
  levels: LevelGrid | null;
  /** Where to count valid and water pixels (default: everywhere). */
  countIn?: { x0: number; y0: number; x1: number; y1: number };
  /** Buffers to reuse (slots `field:*`); the returned classes then live in the arena. */
  arena?: ScratchArena;
}

export interface WaterField {
  classes: Uint8Array;
  /**
   * The field whose 0-level is the shoreline at pixel i: estimated water fraction minus ½, > 0 on water
   * pixels, ≤ 0 on land pixels. Computed on demand: only pixels on a class boundary ever need it.
   */
  fieldAt(i: number): number;
  /**
   * Where the shoreline crosses the edge from pixel a to its right or lower neighbour b, as a fraction
   * of the way from a (a and b of different classes).
   */
  crossingAt(a: number, b: number): number;
  validCount: number;
  waterCount: number;
}

/**
 * Classifies pixels and provides the field whose 0-level is the shoreline.
 *
 * Clear pixels (index beyond half-way to a class mean) are classified by the index threshold: robust.
 * Ambiguous pixels, mostly mixed pixels on the shore, are classified by their water fraction estimated from
 * the contour band between the local water and land levels; that fraction, linear in the water area of the
 * pixel, is also what is interpolated, so the line passes where a pixel is half water. Without levels the
 * index is mapped piecewise-linearly onto a fraction instead (0.5 at the threshold).
 *
 * The field is clamped to agree with the class, so the contour's topology is exactly the classes'.
 */
export function waterField(input: WaterFieldInput): WaterField {
  const { width, height, index, band } = input;
  const n = width * height;
  if (index.length !== n || (band && band.length !== n))
    throw new RangeError('arrays must hold width × height values');
  const field = new ShoreField(input);
  field.classify(input.countIn ?? { x0: 0, y0: 0, x1: width, y1: height });
  return field;
}

/**
 * The field of one window as an object, not as closures over the window: marching squares calls its
 * methods per crossed edge, and one class whatever the window keeps those calls monomorphic, so V8
 * optimises the kernels once per worker instead of deoptimising on every new set of closures.
 */
class ShoreField implements WaterField {
  readonly classes: Uint8Array;
  validCount = 0;
  waterCount = 0;
  readonly #width: number;
  readonly #height: number;
  readonly #originX: number;
  readonly #originY: number;
  readonly #index: Float32Array;
  /** The band as classify() reads it: NaN there makes a pixel invalid, with or without levels. */
  readonly #classBand: Float32Array | null;
  /** Contour band and levels (both or neither), or null to contour the index itself. */
  readonly #band: Float32Array | null;
  readonly #levels: LevelGrid | null;
  readonly #threshold: number;
  readonly #waterFrom: number;
  readonly #landTo: number;
  readonly #upperSpan: number;
  readonly #lowerSpan: number;
  readonly #pureWater: number;
  readonly #pureLand: number;
  /** Water and land level of the pixel being estimated (sampleLevels output). */
  readonly #level = new Float64Array(2);
  /**
   * Fractions are computed on demand (boundary pixels only) and remembered: each pixel sits on up to
   * four crossed edges. Only the flags are cleared up front; a value is read only once its flag is set.
   */
  readonly #cache: Float64Array;
  readonly #cached: Uint8Array;

  constructor(input: WaterFieldInput) {
    const { width, height, originX, originY, index, band, split, levels, arena } = input;
    const n = width * height;
    const { threshold, waterMean, landMean } = split;
    const { waterFrom, landTo } = clearLimits(split);
    const upperSpan = waterMean - threshold;
    const lowerSpan = threshold - landMean;
    if (!(upperSpan > 0 && lowerSpan > 0))
      throw new RangeError('class means must lie either side of the threshold');
    this.#width = width;
    this.#height = height;
    this.#originX = originX;
    this.#originY = originY;
    this.#index = index;
    const rows = band !== null && levels !== null;
    this.#band = rows ? band : null;
    this.#levels = rows ? levels : null;
    this.#threshold = threshold;
    this.#waterFrom = waterFrom;
    this.#landTo = landTo;
    this.#upperSpan = upperSpan;
    this.#lowerSpan = lowerSpan;
    this.#pureWater = threshold + PURE_SHARE * (waterMean - threshold);
    this.#pureLand = threshold - PURE_SHARE * (threshold - landMean);
    this.#cache = scratchFloat64(arena, 'field:cache', n);
    this.#cached = scratchUint8(arena, 'field:cached', n);
    if (arena) this.#cached.fill(0);
    // Every pixel is written by classify(): no clearing needed.
    this.classes = scratchUint8(arena, 'field:classes', n);
    this.#classBand = band;
  }

  /** Classifies every pixel and counts the valid and water pixels within `count`. */
  classify(count: { x0: number; y0: number; x1: number; y1: number }): void {
    const width = this.#width;
    const height = this.#height;
    const index = this.#index;
    const band = this.#classBand;
    const classes = this.classes;
    const waterFrom = this.#waterFrom;
    const landTo = this.#landTo;
    const threshold = this.#threshold;
    let validCount = 0;
    let waterCount = 0;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      const counted = y >= count.y0 && y < count.y1;
      for (let x = 0; x < width; x++) {
        const i = row + x;
        const v = index[i]!;
        const b = band ? band[i]! : 0;
        let c: number;
        if (Number.isNaN(v) || Number.isNaN(b)) c = INVALID;
        else if (v >= waterFrom) c = WATER;
        else if (v <= landTo) c = LAND;
        else {
          // Ambiguous: a mixed pixel, most likely. Its band says how much of it is water.
          const fraction = this.#bandFraction(i);
          const water = !Number.isNaN(fraction) ? fraction > 0.5 : v > threshold;
          c = water ? WATER : LAND;
        }
        classes[i] = c;
        if (counted && x >= count.x0 && x < count.x1 && c !== INVALID) {
          validCount++;
          if (c === WATER) waterCount++;
        }
      }
    }
    this.validCount = validCount;
    this.waterCount = waterCount;
  }

  fieldAt(i: number): number {
    const c = this.classes[i];
    if (c === INVALID) return 0;
    const fromBand = this.#bandFraction(i);
    const f = (!Number.isNaN(fromBand) ? fromBand : this.#indexFraction(this.#index[i]!)) - 0.5;
    if (c === WATER) return Math.max(f, WATER_EPSILON);
    return Math.min(f, 0);
  }

  /**
   * Partial-area estimate of the crossing: walking from the water-side pixel w to the land-side pixel l,
   * the edge lies at w − ½ + f(w) + f(l) (f the water fraction): exact for a straight edge when the pixels
   * beyond w and l are pure, where linear interpolation between the two fractions is off by up to 0.09 px
   * (0.06 px RMS: most of the error of a plain midpoint contour).
   */
  crossingAt(a: number, b: number): number {
    const sum = this.#fractionAt(a) + this.#fractionAt(b) - 0.5;
    const t = this.classes[a] === WATER ? sum : 1 - sum;
    return Math.min(1, Math.max(0, t));
  }

  /** Unclamped water fraction (NaN where invalid). */
  #fractionAt(i: number): number {
    if (this.classes[i] === INVALID) return Number.NaN;
    const fromBand = this.#bandFraction(i);
    return !Number.isNaN(fromBand) ? fromBand : this.#indexFraction(this.#index[i]!);
  }

  #indexFraction(v: number): number {
    const threshold = this.#threshold;
    return v >= threshold
      ? 0.5 + (0.5 * (v - threshold)) / this.#upperSpan
      : 0.5 - (0.5 * (threshold - v)) / this.#lowerSpan;
  }

  /** Water fraction of a valid pixel, or NaN where the levels cannot be trusted. */
  #bandFraction(i: number): number {
    const band = this.#band;
    const levels = this.#levels;
    if (band === null || levels === null) return Number.NaN;
    if (this.#cached[i] === 1) return this.#cache[i]!;
    const value = this.#bandFractionOf(i, levels, band);
    this.#cache[i] = value;
    this.#cached[i] = 1;
    return value;
  }

  #bandFractionOf(i: number, levels: LevelGrid, band: Float32Array): number {
    const width = this.#width;
    const height = this.#height;
    const index = this.#index;
    const pureWater = this.#pureWater;
    const pureLand = this.#pureLand;
    const level = this.#level;
    const x = i % width;
    const y = (i - x) / width;
    sample(levels, this.#originX + x, this.#originY + y, level);
    let water = level[0]!;
    let land = level[1]!;
    let ws = 0;
    let wn = 0;
    let ls = 0;
    let ln = 0;
    for (let dy = -LOCAL_RADIUS; dy <= LOCAL_RADIUS; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -LOCAL_RADIUS; dx <= LOCAL_RADIUS; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        const j = yy * width + xx;
        const v = index[j]!;
        const bj = band[j]!;
        if (Number.isNaN(v) || Number.isNaN(bj)) continue;
        if (v >= pureWater) {
          ws += bj;
          wn++;
        } else if (v <= pureLand) {
          ls += bj;
          ln++;
        }
      }
    }
    if (wn >= LOCAL_MIN) water = ws / wn;
    if (ln >= LOCAL_MIN) land = ls / ln;
    const contrast = land - water;
    return contrast > MIN_LEVEL_CONTRAST ? (land - band[i]!) / contrast : Number.NaN;
  }
}

// Its shape outlives every window (keep-shape.ts): a 1×1 field without levels, fractional split values.
keepShape(
  new ShoreField({
    width: 1,
    height: 1,
    originX: 0,
    originY: 0,
    index: new Float32Array(1),
    band: null,
    split: { threshold: 0.01, waterMean: 0.51, landMean: -0.49 },
    levels: null,
  }),
);
