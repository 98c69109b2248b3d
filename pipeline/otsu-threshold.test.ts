import { describe, expect, it } from 'vitest';
import {
  emptyHistogram,
  histogramOf,
  histogramTotal,
  mergeHistograms,
  otsuThreshold,
  splitAt,
} from './otsu-threshold.ts';

function bimodal(n: number, low: number, high: number, spread: number): Float32Array {
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const jitter = ((i % 21) / 20 - 0.5) * spread;
    out[i] = low + jitter;
    out[n + i] = high + jitter;
  }
  return out;
}

describe('histogramOf', () => {
  it('skips NaN and infinities and clamps values outside the range into the end bins', () => {
    const h = histogramOf(Float32Array.of(Number.NaN, Number.POSITIVE_INFINITY, -5, 5, 0), -1, 1, 4);
    expect(Array.from(h.counts)).toEqual([1, 0, 1, 1]);
    expect(histogramTotal(h)).toBe(3);
  });

  it('rejects a bad range or bin count', () => {
    expect(() => emptyHistogram(1, 1)).toThrow(RangeError);
    expect(() => emptyHistogram(0, 1, 1)).toThrow(RangeError);
    expect(() => emptyHistogram(0, 1, 2.5)).toThrow(RangeError);
  });

  it('leaves its input unchanged', () => {
    const values = Float32Array.of(0.1, Number.NaN, -0.4);
    const copy = values.slice();
    histogramOf(values, -1, 1);
    expect(values).toEqual(copy);
  });
});

describe('mergeHistograms', () => {
  it('adds up to the histogram of all the values, whatever the split', () => {
    const values = bimodal(500, -0.4, 0.3, 0.2);
    const whole = histogramOf(values, -1, 1);
    const parts = [values.subarray(0, 137), values.subarray(137, 600), values.subarray(600)].map((v) =>
      histogramOf(v, -1, 1),
    );
    expect(Array.from(mergeHistograms(parts).counts)).toEqual(Array.from(whole.counts));
    expect(otsuThreshold(mergeHistograms(parts))).toEqual(otsuThreshold(whole));
  });

  it('refuses histograms with different binning, and an empty list', () => {
    expect(() => mergeHistograms([emptyHistogram(-1, 1, 10), emptyHistogram(-1, 1, 20)])).toThrow(/binning/);
    expect(() => mergeHistograms([])).toThrow(RangeError);
  });

  it('leaves its inputs unchanged', () => {
    const a = histogramOf(Float32Array.of(0.5), -1, 1, 4);
    const b = histogramOf(Float32Array.of(-0.5), -1, 1, 4);
    mergeHistograms([a, b]);
    expect(Array.from(a.counts)).toEqual([0, 0, 0, 1]);
    expect(Array.from(b.counts)).toEqual([0, 1, 0, 0]);
  });
});

describe('otsuThreshold', () => {
  it('splits two modes between them and reports each class mean', () => {
    const result = otsuThreshold(histogramOf(bimodal(1000, -0.4, 0.3, 0.1), -1, 1))!;
    expect(result.threshold).toBeGreaterThan(-0.35);
    expect(result.threshold).toBeLessThan(0.25);
    expect(result.lowerMean).toBeCloseTo(-0.4, 2);
    expect(result.upperMean).toBeCloseTo(0.3, 2);
    expect(result.lowerCount).toBe(1000);
    expect(result.upperCount).toBe(1000);
    expect(result.separability).toBeGreaterThan(0.9);
  });

  it('puts the threshold in the middle of an empty gap between the modes', () => {
    const h = emptyHistogram(0, 10, 10);
    h.counts[1] = 50;
    h.counts[8] = 50;
    expect(otsuThreshold(h)!.threshold).toBeCloseTo(5, 9);
  });

  it('follows unequal class sizes', () => {
    const values = new Float32Array(1100);
    values.fill(-0.5, 0, 1000);
    values.fill(0.5, 1000);
    const result = otsuThreshold(histogramOf(values, -1, 1))!;
    expect(result.lowerCount).toBe(1000);
    expect(result.upperCount).toBe(100);
  });

  it('returns null when nothing can be separated', () => {
    expect(otsuThreshold(emptyHistogram(-1, 1))).toBeNull();
    expect(otsuThreshold(histogramOf(new Float32Array(50).fill(0.2), -1, 1))).toBeNull();
  });
});

describe('splitAt', () => {
  it('counts and averages either side of a fixed threshold', () => {
    const s = splitAt(histogramOf(Float32Array.of(-0.7, -0.7, 0.7), -1, 1, 4), 0);
    expect(s.lowerCount).toBe(2);
    expect(s.upperCount).toBe(1);
    expect(s.lowerMean).toBeCloseTo(-0.75, 9);
    expect(s.upperMean).toBeCloseTo(0.75, 9);
  });
});
