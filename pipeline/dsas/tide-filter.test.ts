import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import { filterScenesByTide } from './tide-filter.ts';

const scenes = [
  { scene: 'a', tideHeightM: -1.5 },
  { scene: 'b', tideHeightM: -0.76 },
  { scene: 'c', tideHeightM: -0.74 },
  { scene: 'd', tideHeightM: 0 },
  { scene: 'e', tideHeightM: 0.75 },
  { scene: 'f', tideHeightM: 0.8 },
  { scene: 'g', tideHeightM: 1.5 },
];

describe('filterScenesByTide', () => {
  it('keeps the scenes in the central 50 % of the observed range by default', () => {
    const r = filterScenesByTide(scenes);
    expect(r.observedMinM).toBe(-1.5);
    expect(r.observedMaxM).toBe(1.5);
    expect(r.lowM).toBeCloseTo(-0.75, 12);
    expect(r.highM).toBeCloseTo(0.75, 12);
    expect(r.decisions.filter((d) => d.kept).map((d) => d.scene)).toEqual(['c', 'd', 'e']);
  });

  it('records why each skipped scene was skipped', () => {
    const r = filterScenesByTide(scenes);
    const a = r.decisions.find((d) => d.scene === 'a')!;
    expect(a.kept).toBe(false);
    expect(a.reason).toMatch(/-1\.50 m is below the central 50 %/);
    expect(r.decisions.find((d) => d.scene === 'f')!.reason).toMatch(/above/);
    expect(r.decisions.find((d) => d.scene === 'd')!.reason).toBeNull();
  });

  it('keeps everything at 100 % and narrows with a smaller percentage', () => {
    expect(filterScenesByTide(scenes, 100).decisions.every((d) => d.kept)).toBe(true);
    const narrow = filterScenesByTide(scenes, 10);
    expect(narrow.decisions.filter((d) => d.kept).map((d) => d.scene)).toEqual(['d']);
  });

  it('leaves its input unchanged', () => {
    const copy = structuredClone(scenes);
    filterScenesByTide(scenes, 40);
    expect(scenes).toEqual(copy);
  });

  it.each([0, -5, 101, Number.NaN])('rejects percentage %s', (p) => {
    expect(() => filterScenesByTide(scenes, p)).toThrow(TidemarkError);
  });

  it('rejects an empty list', () => {
    expect(() => filterScenesByTide([])).toThrow(/at least one scene/);
  });

  it('names the scenes without a tide', () => {
    expect(() =>
      filterScenesByTide([...scenes, { scene: 'x', tideHeightM: null }, { scene: 'y', tideHeightM: null }]),
    ).toThrow(/2 scene\(s\) have no tide height: x, y/);
  });
});
