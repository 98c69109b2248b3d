import { describe, expect, it } from 'vitest';
import { listFeatureCollections } from '../../store/features/feature-sources.ts';
import { LIMIT_DEFAULT, LIMIT_MAX } from './items-query.ts';
import { buildOpenApiDocument } from './openapi-document.ts';

type Json = Record<string, unknown>;

const BASE = 'https://tidemark.example.org/ogc';
const doc = buildOpenApiDocument(listFeatureCollections(), BASE);

/** The value at a path of keys in a JSON document, or undefined. */
function at(node: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (value, key) => (value !== null && typeof value === 'object' ? (value as Json)[key] : undefined),
    node,
  );
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolve(ref: string): unknown {
  return at(doc, ...ref.slice(2).split('/'));
}

function parameters(path: string): Json[] {
  const params = (at(doc, 'paths', path, 'get', 'parameters') ?? []) as Json[];
  return params.map((p) => (typeof p.$ref === 'string' ? (resolve(p.$ref) as Json) : p));
}

describe('buildOpenApiDocument', () => {
  it('is an OpenAPI 3.0 document served from the OGC base URL', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(doc.servers).toEqual([{ url: BASE }]);
  });

  it('resolves every $ref', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    for (const ref of all) expect(resolve(ref), ref).toBeDefined();
  });

  it('declares the landing page, conformance, api and collections paths', () => {
    for (const path of ['/', '/conformance', '/api', '/collections']) {
      expect(at(doc, 'paths', path, 'get')).toBeDefined();
    }
  });

  it('declares limit with its minimum, maximum and default, and bbox and datetime, on every items path', () => {
    for (const info of listFeatureCollections()) {
      const params = parameters(`/collections/${info.id}/items`);
      const byName = new Map(params.map((p) => [p.name, p]));
      expect(byName.get('limit')?.schema).toEqual({
        type: 'integer',
        minimum: 1,
        maximum: LIMIT_MAX,
        default: LIMIT_DEFAULT,
      });
      expect(byName.get('bbox')?.schema).toMatchObject({ type: 'array', minItems: 4, maxItems: 4 });
      expect(byName.get('datetime')?.schema).toEqual({ type: 'string' });
      for (const name of Object.keys(info.queryables)) {
        expect(byName.get(name), `${info.id} ${name}`).toMatchObject({ in: 'query', required: false });
      }
      expect(at(doc, 'paths', `/collections/${info.id}`, 'get')).toBeDefined();
      expect(parameters(`/collections/${info.id}/items/{featureId}`)[0]).toMatchObject({
        name: 'featureId',
        in: 'path',
        required: true,
      });
    }
  });

  it('declares the enum of an enumerated filter', () => {
    const rateClass = parameters('/collections/transects/items').find((p) => p.name === 'rate_class');
    expect(at(rateClass, 'schema', 'enum')).toEqual(['critical_erosion', 'erosion', 'stable', 'accretion']);
  });
});
