import { describe, expect, it } from 'vitest';
import type { Rect } from './map-padding.ts';
import { placeTooltip, TOOLTIP_GAP_PX } from './tooltip-placement.ts';

/** A phone's map (390×844) less the 4 px the viewer keeps from its edges. */
const PHONE: Rect = { left: 4, top: 4, right: 386, bottom: 840 };
/** The transect tooltip seen clipped on a phone: about as wide as MapLibre's 280 px maximum. */
const WIDE = { width: 274, height: 30 };

const inside = (at: { x: number; y: number }, size: { width: number; height: number }, bounds: Rect) =>
  at.x >= bounds.left &&
  at.y >= bounds.top &&
  at.x + size.width <= bounds.right &&
  at.y + size.height <= bounds.bottom;

describe('placeTooltip', () => {
  it('centres the tooltip above the pointer when there is room', () => {
    expect(placeTooltip({ x: 195, y: 400 }, WIDE, PHONE)).toEqual({
      x: 195 - WIDE.width / 2,
      y: 400 - TOOLTIP_GAP_PX - WIDE.height,
    });
  });

  it('keeps a wide tooltip whole next to either edge of a phone (regression: "nsect 65: LRR −42.49…")', () => {
    // Every pointer position across the screen, the ones near the edges included, where MapLibre's Popup
    // found no anchor that fits.
    for (let x = 0; x <= 390; x += 5) {
      const at = placeTooltip({ x, y: 400 }, WIDE, PHONE);
      expect(inside(at, WIDE, PHONE), `pointer at x=${x}: ${JSON.stringify(at)}`).toBe(true);
      expect(at.y + WIDE.height).toBeLessThanOrEqual(400 - TOOLTIP_GAP_PX);
    }
    expect(placeTooltip({ x: 20, y: 400 }, WIDE, PHONE).x).toBe(PHONE.left);
    expect(placeTooltip({ x: 370, y: 400 }, WIDE, PHONE).x).toBe(PHONE.right - WIDE.width);
  });

  it('goes below the pointer when there is no room above, and stays inside when neither fits', () => {
    expect(placeTooltip({ x: 195, y: 20 }, WIDE, PHONE).y).toBe(20 + TOOLTIP_GAP_PX);
    const tall = { width: 100, height: 500 };
    const squeezed: Rect = { left: 0, top: 0, right: 390, bottom: 600 };
    const at = placeTooltip({ x: 195, y: 300 }, tall, squeezed);
    expect(inside(at, tall, squeezed)).toBe(true);
  });

  it('starts a tooltip larger than its bounds at their top-left corner', () => {
    expect(placeTooltip({ x: 50, y: 50 }, { width: 500, height: 900 }, PHONE)).toEqual({ x: 4, y: 4 });
  });

  it('works in the coordinates of bounds that do not start at zero', () => {
    const bounds: Rect = { left: 100, top: 200, right: 500, bottom: 600 };
    const at = placeTooltip({ x: 110, y: 210 }, { width: 200, height: 40 }, bounds);
    expect(at).toEqual({ x: 100, y: 210 + TOOLTIP_GAP_PX });
  });

  it('leaves its inputs unchanged', () => {
    const pointer = { x: 12, y: 34 };
    const size = { ...WIDE };
    const bounds = { ...PHONE };
    placeTooltip(pointer, size, bounds);
    expect(pointer).toEqual({ x: 12, y: 34 });
    expect(size).toEqual(WIDE);
    expect(bounds).toEqual(PHONE);
  });
});
