import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './viewer-static.ts';

describe('contentSecurityPolicy', () => {
  it('keeps every fetch on our origin by default (offline-safe viewer)', () => {
    const csp = contentSecurityPolicy('');
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("img-src 'self' data: blob:;");
    expect(csp).not.toContain('https:');
  });

  it('opens https data and images only when an external basemap is configured', () => {
    const csp = contentSecurityPolicy('https://tiles.example.org/style.json');
    expect(csp).toContain("connect-src 'self' https:");
    expect(csp).toContain("img-src 'self' data: blob: https:");
    expect(csp).toContain("script-src 'self';");
  });
});
