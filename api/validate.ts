import type { z } from 'zod';
import { TidemarkError } from '../common/errors.ts';

/** One entry per rejected parameter, so a client can point at exactly what it sent wrong. */
export interface InvalidParam {
  name: string;
  reason: string;
}

/**
 * Parses request input with a zod schema and turns a failure into a 400 TidemarkError whose `details.invalidParams`
 * lists each bad parameter (the RFC 9457 §3 "invalid-params" extension shape).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const invalidParams: InvalidParam[] = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return { name: issue.keys.join(', '), reason: 'unknown parameter' };
    }
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined;
    return {
      name: issue.path.map(String).join('.') || what,
      reason: missing ? 'is required' : issue.message,
    };
  });
  // A scalar (a path parameter, say) is named once: "Invalid id: must be …", not "Invalid id: id: must be …".
  const summary = invalidParams
    .map((p) => (p.name === what ? p.reason : `${p.name}: ${p.reason}`))
    .join('; ');
  throw new TidemarkError('INVALID_INPUT', `Invalid ${what}: ${summary}`, { details: { invalidParams } });
}

/** The value at a zod issue's path in the input, or undefined where the path leads nowhere. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
