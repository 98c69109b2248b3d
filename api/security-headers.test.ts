import { describe, expect, it } from 'vitest';
import { parseCorsOrigins } from './security-headers.ts';

describe('parseCorsOrigins (TIDEMARK_CORS_ORIGINS)', () => {
  it('is empty by default: no cross-origin readers', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('  ')).toEqual([]);
  });

  it('takes a comma-separated list of origins, and *', () => {
    expect(parseCorsOrigins('https://maps.example.org, http://localhost:5173/,*')).toEqual([
      'https://maps.example.org',
      'http://localhost:5173',
      '*',
    ]);
  });

  it.each([
    'maps.example.org',
    'https://maps.example.org/path',
    'ftp://example.org',
    'https://example.org?x=1',
    'null',
  ])('rejects %s, naming it', (entry) => {
    expect(() => parseCorsOrigins(`https://ok.example.org,${entry}`)).toThrow(entry);
  });
});
