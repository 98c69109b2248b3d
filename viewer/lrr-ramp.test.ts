import { describe, expect, it } from 'vitest';
import { colorToHex, evaluatePaint } from './evaluate-style-expression.ts';
import { LRR_STOPS, lrrColor, lrrColorExpression, lrrWidthExpression, NO_RATE_COLOR } from './lrr-ramp.ts';

function channels(hex: string): number[] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
}

function channelDistance(a: string, b: string): number {
  const cb = channels(b);
  return Math.max(...channels(a).map((c, i) => Math.abs(c - cb[i]!)));
}

describe('LRR ramp', () => {
  it('has ascending stops, symmetric about zero, with the DSAS class limits among them', () => {
    const rates = LRR_STOPS.map((s) => s.rateMPerYr);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThan(rates[i - 1]!);
    expect(rates).toEqual([...rates].reverse().map((r) => (r === 0 ? 0 : -r)));
    for (const limit of [-1, -0.5, 0, 0.5]) expect(rates).toContain(limit);
  });

  it('colours each rate exactly as the map does (legend = map)', () => {
    const expr = lrrColorExpression();
    for (const rate of [-45, -30, -12.5, -3, -0.75, -0.1, 0, 0.3, 2, 10, 50]) {
      const drawn = colorToHex(evaluatePaint('line', 'line-color', expr, { lrr_m_yr: rate }));
      // Within one unit per channel: MapLibre interpolates in floats 0–1, we round in 0–255.
      expect(
        channelDistance(drawn, lrrColor(rate)),
        `rate ${rate}: ${drawn} vs ${lrrColor(rate)}`,
      ).toBeLessThanOrEqual(1);
    }
  });

  it('draws erosion red and accretion blue', () => {
    const [r, g, b] = channels(lrrColor(-10));
    expect(r!).toBeGreaterThan(b!);
    expect(r!).toBeGreaterThan(g!);
    const [r2, , b2] = channels(lrrColor(10));
    expect(b2!).toBeGreaterThan(r2!);
  });

  it('greys out transects without a rate', () => {
    expect(lrrColor(null)).toBe(NO_RATE_COLOR);
    expect(lrrColor(Number.NaN)).toBe(NO_RATE_COLOR);
    expect(colorToHex(evaluatePaint('line', 'line-color', lrrColorExpression(), {}))).toBe(NO_RATE_COLOR);
  });

  it('widens lines with |rate|, the same for erosion and accretion, and with zoom', () => {
    const width = (rate: number | undefined, zoom = 14) =>
      evaluatePaint(
        'line',
        'line-width',
        lrrWidthExpression(),
        rate === undefined ? {} : { lrr_m_yr: rate },
        zoom,
      ) as number;
    expect(width(-10)).toBeGreaterThan(width(-1));
    expect(width(-10)).toBeCloseTo(width(10), 9);
    expect(width(undefined)).toBeCloseTo(width(0), 9);
    expect(width(-100)).toBeCloseTo(width(-30), 9);
    expect(width(-5, 18)).toBeGreaterThan(width(-5, 14));
  });
});
