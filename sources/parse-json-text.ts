import { TidemarkError } from '../common/errors.ts';

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Parses JSON text; INVALID_INPUT otherwise, as one line: "<what> is not valid JSON: <problem>". V8 quotes
 * the text around the problem, line breaks included, so those are escaped to keep the message on one line.
 */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const problem = (err instanceof Error ? err.message : String(err)).replace(
      /[\p{Cc}\u2028\u2029]/gu,
      (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    throw new TidemarkError('INVALID_INPUT', `${what} is not valid JSON: ${problem}`, { cause: err });
  }
}
