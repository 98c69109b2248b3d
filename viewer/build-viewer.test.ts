import { describe, expect, it } from 'vitest';
import { basemapStyleFromEnv, injectBasemapStyle } from './build-viewer.ts';

describe('basemapStyleFromEnv', () => {
  it('is offline ("") unless TIDEMARK_BASEMAP_STYLE is set', () => {
    expect(basemapStyleFromEnv(undefined)).toBe('');
    expect(basemapStyleFromEnv('  ')).toBe('');
    expect(basemapStyleFromEnv('https://tiles.example.org/style.json')).toBe(
      'https://tiles.example.org/style.json',
    );
  });

  it.each(['style.json', 'ftp://tiles.example.org/style.json', 'javascript:alert(1)'])(
    'names the setting for a bad value (%s)',
    (value) => {
      expect(() => basemapStyleFromEnv(value)).toThrow(
        /TIDEMARK_BASEMAP_STYLE must be an absolute http\(s\) URL/,
      );
    },
  );
});

describe('injectBasemapStyle', () => {
  const html = '<head><meta name="tidemark:basemap-style" content=""></head>';

  it('writes the URL into the meta, escaped for an attribute', () => {
    expect(injectBasemapStyle(html, 'https://x.example/s.json?a=1&b="2"$&')).toBe(
      '<head><meta name="tidemark:basemap-style" content="https://x.example/s.json?a=1&amp;b=&quot;2&quot;$&amp;"></head>',
    );
    expect(injectBasemapStyle(html, '')).toBe(html);
  });

  it('fails on a page without the meta', () => {
    expect(() => injectBasemapStyle('<head></head>', '')).toThrow(
      'lacks <meta name="tidemark:basemap-style">',
    );
  });
});
