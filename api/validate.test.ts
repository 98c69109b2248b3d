import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TidemarkError } from '../common/errors.ts';
import { idParamSchema } from './openapi/schemas.ts';
import { validate } from './validate.ts';

function rejection(run: () => unknown): TidemarkError {
  try {
    run();
  } catch (err) {
    if (err instanceof TidemarkError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('validate', () => {
  it('names a scalar parameter once', () => {
    const err = rejection(() => validate(idParamSchema, 'abc', 'id'));
    expect(err.message).toBe('Invalid id: must be a positive integer');
    expect(err.details).toEqual({ invalidParams: [{ name: 'id', reason: 'must be a positive integer' }] });
  });

  it('says a missing field is required, and a field of the wrong type what it must be', () => {
    const body = z.object({ name: z.string('must be a string'), epsg: z.number('must be a number') });
    const err = rejection(() => validate(body, { epsg: 'x' }, 'body'));
    expect(err.message).toBe('Invalid body: name: is required; epsg: must be a number');
    const nested = z.object({ site: z.object({ slug: z.string('must be a string') }) });
    expect(rejection(() => validate(nested, { site: {} }, 'body')).message).toBe(
      'Invalid body: site.slug: is required',
    );
    expect(rejection(() => validate(nested, { site: { slug: null } }, 'body')).message).toBe(
      'Invalid body: site.slug: must be a string',
    );
  });

  it('lists unknown parameters', () => {
    const query = z.strictObject({ limit: z.string().optional() });
    expect(rejection(() => validate(query, { limt: '5' }, 'query')).message).toBe(
      'Invalid query: limt: unknown parameter',
    );
  });
});
