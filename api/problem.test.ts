import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { toProblem } from './problem.ts';

describe('toProblem', () => {
  it('shows a client error with its code, message and invalid parameters', () => {
    const err = new TidemarkError('INVALID_INPUT', 'Invalid query: site: must be a slug', {
      details: { invalidParams: [{ name: 'site', reason: 'must be a slug' }], secretThing: 'hidden' },
    });
    const { problem, errorId } = toProblem(err, '/tiles/shorelines.json');
    expect(problem).toEqual({
      type: 'urn:tidemark:problem:invalid-input',
      title: 'Bad Request',
      status: 400,
      detail: 'Invalid query: site: must be a slug',
      instance: '/tiles/shorelines.json',
      code: 'INVALID_INPUT',
      invalidParams: [{ name: 'site', reason: 'must be a slug' }],
    });
    expect(errorId).toBeUndefined();
  });

  it('hides a server error behind a generic title and an error id', () => {
    const err = new Error('relation "shorelines" does not exist: SELECT * FROM postgres://u:pw@db/x');
    const { problem, errorId } = toProblem(err, '/tiles/shorelines/1/0/0.mvt');
    expect(problem.status).toBe(500);
    expect(problem.title).toBe('Internal Server Error');
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(problem.errorId).toBe(errorId);
    const text = JSON.stringify(problem);
    expect(text).not.toContain('relation');
    expect(text).not.toContain('postgres://');
    expect(text).not.toContain('at ');
  });

  it('hides the message of a 5xx TidemarkError too', () => {
    const err = new TidemarkError('INTERNAL', 'cannot connect to postgres://u@db:5432/x', { status: 503 });
    const { problem } = toProblem(err, '/healthz');
    expect(problem.status).toBe(503);
    expect(problem.title).toBe('Service Unavailable');
    expect(JSON.stringify(problem)).not.toContain('postgres://');
  });

  it('keeps http-errors style 4xx messages and their headers (405 Allow)', () => {
    const err = Object.assign(new Error('Method Not Allowed'), {
      status: 405,
      expose: true,
      headers: { Allow: 'GET, HEAD' },
    });
    const { problem, headers } = toProblem(err, '/healthz');
    expect(problem).toMatchObject({ type: 'about:blank', status: 405, title: 'Method Not Allowed' });
    expect(headers).toEqual({ Allow: 'GET, HEAD' });
  });

  it.each([
    ['a non-error value', 'boom'],
    ['null', null],
    ['an out-of-range status', Object.assign(new Error('x'), { status: 302 })],
    ['a non-numeric status', Object.assign(new Error('x'), { status: 'bad' })],
  ])('treats %s as a 500', (_label, thrown) => {
    expect(toProblem(thrown, '/').problem.status).toBe(500);
  });

  it('does not modify the error', () => {
    const err = new TidemarkError('NOT_FOUND', 'no such layer', { details: { allowed: ['shorelines'] } });
    const before = { message: err.message, details: structuredClone(err.details) };
    toProblem(err, '/tiles/x.json');
    expect({ message: err.message, details: err.details }).toEqual(before);
  });
});
