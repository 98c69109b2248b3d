import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { evaluateFilter } from './evaluate-style-expression.ts';
import { OVERLAYS, type OverlayId } from './layer-catalog.ts';
import { buildMapStyle, type StyleInputs } from './map-style.ts';
import type { ViewerTileJson } from './tilejson-client.ts';

const ORIGIN = 'http://127.0.0.1:8080';

function tileJson(layer: string): ViewerTileJson {
  return {
    tiles: [`${ORIGIN}/tiles/${layer}/{z}/{x}/{y}.mvt`],
    minzoom: 0,
    maxzoom: 18,
    bounds: [104.74, 8.63, 104.78, 8.69],
    years: layer === 'shorelines' ? { min: 2016, max: 2025 } : null,
  };
}

function inputs(overrides: Partial<StyleInputs> = {}): StyleInputs {
  const tileJsons: StyleInputs['tileJsons'] = {};
  for (const o of OVERLAYS) if (o.tileLayer) tileJsons[o.id] = tileJson(o.tileLayer);
  return {
    tileJsons,
    record: { from: 2016, to: 2025 },
    window: { from: 2016, to: 2025 },
    hidden: new Set(),
    sites: { type: 'FeatureCollection', features: [] },
    ...overrides,
  };
}

describe('buildMapStyle', () => {
  it('is a valid MapLibre style with every overlay layer of the catalogue, in catalogue order', () => {
    const style = buildMapStyle(inputs());
    expect(validateStyleMin(style as never)).toEqual([]);
    const ids = style.layers.map((l) => l.id);
    const expected = ['background', 'site-area', ...OVERLAYS.flatMap((o) => o.styleLayers)];
    expect(ids).toEqual(expected);
    for (const o of OVERLAYS) for (const q of o.queryLayers) expect(o.styleLayers).toContain(q);
  });

  it('asks nothing of another host: only our tile URLs, no glyphs, sprite or basemap', () => {
    const style = buildMapStyle(inputs());
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    const urls = JSON.stringify(style).match(/https?:\/\/[^"]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(`${ORIGIN}/tiles/`)).toBe(true);
  });

  it('leaves out an overlay whose TileJSON could not be read, and only that one', () => {
    const all = inputs();
    const { hazard: _gone, ...rest } = all.tileJsons;
    const style = buildMapStyle({ ...all, tileJsons: rest });
    expect(validateStyleMin(style as never)).toEqual([]);
    expect(style.sources.hazard).toBeUndefined();
    expect(style.layers.some((l) => l.id.startsWith('hazard'))).toBe(false);
    expect(style.layers.some((l) => l.id === 'change-fill')).toBe(true);
  });

  it('draws hidden overlays with visibility none', () => {
    const hidden = new Set<OverlayId>(['change', 'zones']);
    const style = buildMapStyle(inputs({ hidden }));
    for (const layer of style.layers) {
      const overlay = OVERLAYS.find((o) => o.styleLayers.includes(layer.id));
      if (!overlay) continue;
      expect(layer.layout?.visibility, layer.id).toBe(hidden.has(overlay.id) ? 'none' : 'visible');
    }
  });

  it('filters shorelines and change polygons by the window it is given', () => {
    const style = buildMapStyle(inputs({ window: { from: 2018, to: 2020 } }));
    const filterOf = (id: string) => (style.layers.find((l) => l.id === id) as { filter?: unknown }).filter;
    expect(evaluateFilter(filterOf('shorelines'), { year: 2019 })).toBe(true);
    expect(evaluateFilter(filterOf('shorelines'), { year: 2021 })).toBe(false);
    expect(evaluateFilter(filterOf('shorelines-hover'), { year: 2021 })).toBe(false);
    const change = { period_kind: 'consecutive', period_start: '2018-03-01', period_end: '2020-02-27' };
    expect(evaluateFilter(filterOf('change-fill'), change)).toBe(true);
    expect(evaluateFilter(filterOf('change-fill'), { ...change, period_end: '2022-01-01' })).toBe(false);
  });

  it('splits forecasts into bands and near and far lines', () => {
    const style = buildMapStyle(inputs());
    const filterOf = (id: string) => (style.layers.find((l) => l.id === id) as { filter?: unknown }).filter;
    const line10 = { kind: 'line', horizon_years: 10 };
    const line20 = { kind: 'line', horizon_years: 20 };
    const band = { kind: 'band', horizon_years: 10 };
    expect([line10, line20, band].map((f) => evaluateFilter(filterOf('forecasts-band'), f))).toEqual([
      false,
      false,
      true,
    ]);
    expect([line10, line20, band].map((f) => evaluateFilter(filterOf('forecasts-line-near'), f))).toEqual([
      true,
      false,
      false,
    ]);
    expect([line10, line20, band].map((f) => evaluateFilter(filterOf('forecasts-line-far'), f))).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('does not change its inputs', () => {
    const given = inputs({ hidden: new Set(['zones']) });
    const copy = structuredClone(given);
    buildMapStyle(given);
    expect(given).toEqual(copy);
  });
});
