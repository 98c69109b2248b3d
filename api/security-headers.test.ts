import { describe, expect, it } from 'vitest';
import { API_CONTENT_SECURITY_POLICY, parseCorsOrigins, securityPolicy } from './security-headers.ts';

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

describe('securityPolicy', () => {
  const origin = 'https://maps.example.org';

  it('without CORS: the helmet headers, a same-origin resource policy and the API CSP; HSTS over HTTPS only', () => {
    const policy = securityPolicy({ corsOrigins: [] });
    expect(policy.corsEnabled).toBe(false);
    expect(policy.varyOrigin).toBe(false);
    const headers = policy.apiResponseHeaders(origin, false);
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Content-Security-Policy': API_CONTENT_SECURITY_POLICY,
    });
    expect(headers).not.toHaveProperty('Strict-Transport-Security');
    expect(headers).not.toHaveProperty('Access-Control-Allow-Origin');
    expect(policy.apiResponseHeaders('', true)['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
    // Every header of the base set is in the full set, with the same value.
    expect(headers).toMatchObject(policy.base);
  });

  it('with a list of origins: CORS for those only, and Vary: Origin', () => {
    const policy = securityPolicy({ corsOrigins: [origin] });
    expect(policy.varyOrigin).toBe(true);
    expect(policy.allowedOrigin(origin)).toBe(origin);
    expect(policy.allowedOrigin('https://evil.example.com')).toBeNull();
    expect(policy.allowedOrigin('')).toBeNull();
    const allowed = policy.apiResponseHeaders(origin, false);
    expect(allowed['Access-Control-Allow-Origin']).toBe(origin);
    expect(allowed['Access-Control-Expose-Headers']).toMatch(/ETag/);
    expect(allowed['Cross-Origin-Resource-Policy']).toBe('cross-origin');
    expect(policy.apiResponseHeaders('https://evil.example.com', false)).not.toHaveProperty(
      'Access-Control-Allow-Origin',
    );
  });

  it('with *: any origin, no Vary', () => {
    const policy = securityPolicy({ corsOrigins: ['*'] });
    expect(policy.varyOrigin).toBe(false);
    expect(policy.apiResponseHeaders(origin, false)['Access-Control-Allow-Origin']).toBe('*');
    expect(policy.apiResponseHeaders('', false)).not.toHaveProperty('Access-Control-Allow-Origin');
  });

  it('hands out header sets no caller can change', () => {
    const policy = securityPolicy({ corsOrigins: [] });
    const headers = policy.apiResponseHeaders('', false) as Record<string, string>;
    expect(() => {
      headers['X-Frame-Options'] = 'ALLOWALL';
    }).toThrow(TypeError);
    expect(policy.apiResponseHeaders('', false)['X-Frame-Options']).toBe('SAMEORIGIN');
  });

  it('does not modify the origin list it is given', () => {
    const origins = [origin, '*'];
    securityPolicy({ corsOrigins: origins });
    expect(origins).toEqual([origin, '*']);
  });
});
