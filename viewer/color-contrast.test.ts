import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blendOver, contrastRatio } from '../test/support/color-contrast.ts';
import { BACKGROUND_COLOR, SITE_AREA_COLOR } from './palette.ts';

/** A custom property of viewer.css's `:root`, as written there. */
async function cssVariable(name: string): Promise<string> {
  const css = await readFile(join(import.meta.dirname, 'viewer.css'), 'utf8');
  const match = new RegExp(`--${name}:\\s*([^;]+);`).exec(css);
  if (!match) throw new Error(`viewer.css has no --${name}`);
  return match[1]!.trim();
}

describe('contrastRatio', () => {
  it('gives the WCAG 2 ratios of known pairs', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 6);
    // The WCAG examples' grey: 4.48:1 on white, just under AA for text.
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    // The old focus ring, amber on white: the review's 2.1:1.
    expect(contrastRatio('#f59e0b', '#ffffff')).toBeCloseTo(2.15, 2);
    expect(contrastRatio('#ffffff', '#777777')).toBe(contrastRatio('#777777', '#ffffff'));
  });

  it('reads the short form and refuses what is not a hex colour', () => {
    expect(contrastRatio('#fff', '#000')).toBeCloseTo(21, 6);
    expect(() => contrastRatio('orange', '#fff')).toThrow('not a #rrggbb colour: orange');
  });

  it('blends a translucent colour over another as the browser does', () => {
    expect(blendOver([255, 255, 255], 0.5, '#000000')).toBe('#808080');
    expect(blendOver([255, 255, 255], 1, '#123456')).toBe('#ffffff');
  });
});

describe('the focus ring (WCAG 1.4.11: at least 3:1 against what is next to it)', () => {
  it('contrasts with the panels and with the map under it', async () => {
    const focus = await cssVariable('focus');
    expect(focus).toMatch(/^#[0-9a-f]{6}$/i);
    // Panels are translucent over the map; the map's own ground is the background and the sites' land tone.
    const panelBg = /^rgb\((\d+) (\d+) (\d+) \/ (\d+)%\)$/.exec(await cssVariable('panel-bg'));
    expect(panelBg).not.toBeNull();
    const [r, g, b, pct] = panelBg!.slice(1).map(Number) as [number, number, number, number];
    const panels = [BACKGROUND_COLOR, SITE_AREA_COLOR].map((under) => blendOver([r, g, b], pct / 100, under));
    for (const next of ['#ffffff', ...panels, BACKGROUND_COLOR, SITE_AREA_COLOR]) {
      expect(contrastRatio(focus, next), `${focus} against ${next}`).toBeGreaterThanOrEqual(3);
    }
  });
});
