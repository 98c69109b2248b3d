import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseQueryString } from './tile-endpoint.ts';

// Koa's own parser (what ctx.query gives the rest of the API), to check ours reads query strings the same way.
const koaSearchParams = createRequire(import.meta.url)('koa/lib/search-params.js') as {
  parse(query: string): Record<string, unknown>;
};

describe('parseQueryString', () => {
  it.each([
    '',
    'site=ca-mau',
    'site=ca-mau&from=2018&to=2020',
    'to=2020&site=ca-mau&from=2018',
    'site=ca-mau&site=other',
    'site=a&from=1&site=b&site=c',
    'site=Ca%20Mau',
    'site=ca+mau',
    'site=%E0%A4%A',
    'site',
    'site=&from=',
    '=x',
    '&&site=ca-mau&',
    'a=1;b=2',
    '__proto__=x',
    'constructor=x&hasOwnProperty=y',
  ])('reads %j as Koa does', (query) => {
    const ours = parseQueryString(query);
    const koa = koaSearchParams.parse(query);
    expect(ours).toStrictEqual(koa);
    expect(Object.keys(ours)).toEqual(Object.keys(koa));
  });

  it('keeps a parameter named __proto__ as a parameter, not as the prototype', () => {
    const q = parseQueryString('__proto__=x');
    expect(Object.getPrototypeOf(q)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(q, '__proto__')?.value).toBe('x');
  });
});
