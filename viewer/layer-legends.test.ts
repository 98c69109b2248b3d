import { describe, expect, it } from 'vitest';
import { OVERLAY_IDS } from './layer-catalog.ts';
import { type LegendItem, overlayLegend } from './layer-legends.ts';
import { lrrColor } from './lrr-ramp.ts';
import { ZONE_RISK_COLORS } from './palette.ts';
import { yearColor } from './year-ramp.ts';

const YEARS = [2016, 2018, 2020, 2022, 2025];
const ALL = { from: 2016, to: 2025 };

describe('overlayLegend', () => {
  it('gives every overlay a legend', () => {
    for (const id of OVERLAY_IDS) expect(overlayLegend(id, YEARS, ALL).length, id).toBeGreaterThan(0);
  });

  it('lists the years that have a shoreline, coloured as the map colours them, dimming those outside the window', () => {
    const items = overlayLegend('shorelines', YEARS, { from: 2018, to: 2020 });
    expect(items.map((i) => (i.kind === 'line' ? i.label : null))).toEqual(YEARS.map(String));
    for (const item of items) {
      if (item.kind !== 'line') throw new Error('expected line swatches');
      const year = Number(item.label);
      expect(item.color).toBe(yearColor(year, { minYear: 2016, maxYear: 2025 }));
      expect(item.inactive ?? false).toBe(year < 2018 || year > 2020);
    }
  });

  it('shows a long record as a ramp from its first to its last year', () => {
    const years = Array.from({ length: 30 }, (_, i) => 1990 + i);
    const [item] = overlayLegend('shorelines', years, { from: 1990, to: 2019 });
    expect(item).toMatchObject({
      kind: 'ramp',
      ticks: [
        { text: '1990', at: 0 },
        { text: '2019', at: 1 },
      ],
    });
  });

  it('says so when there are no shorelines', () => {
    expect(overlayLegend('shorelines', [], ALL)).toEqual([
      { kind: 'note', text: 'No shorelines stored yet.' },
    ]);
  });

  it('places each LRR tick where the bar shows that rate’s colour', () => {
    const ramp = overlayLegend('transects', YEARS, ALL).find(
      (i): i is Extract<LegendItem, { kind: 'ramp' }> => i.kind === 'ramp',
    )!;
    for (const tick of ramp.ticks) {
      const rate = Number(tick.text.replace('−', '-'));
      const at = tick.at * (ramp.colors.length - 1);
      expect(Number.isInteger(at)).toBe(true);
      expect(ramp.colors[at]).toBe(lrrColor(rate));
    }
  });

  it('shows each risk class in its map colour', () => {
    const fills = overlayLegend('zones', YEARS, ALL).filter((i) => i.kind === 'fill');
    for (const risk of ZONE_RISK_COLORS)
      expect(fills).toContainEqual(expect.objectContaining({ color: risk.color, label: risk.label }));
  });

  it('does not change the years it is given', () => {
    const years = [...YEARS];
    overlayLegend('shorelines', years, ALL);
    expect(years).toEqual(YEARS);
  });
});
