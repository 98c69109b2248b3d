import { describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { parseJsonText } from './parse-json-text.ts';

function failure(text: string): TidemarkError {
  try {
    parseJsonText(text, 'item.json');
  } catch (err) {
    expect(err).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe('parseJsonText', () => {
  it('parses JSON', () => {
    expect(parseJsonText('{"type": "Feature"}', 'item.json')).toEqual({ type: 'Feature' });
  });

  it.each([
    [
      'text with line breaks',
      'hello\nworld\r\n',
      `Unexpected token 'h', "hello\\nworld\\r\\n" is not valid JSON`,
    ],
    ['a tab and a control character', 'x\t\u0001', `Unexpected token 'x', "x\\t\\u0001" is not valid JSON`],
    ['a cut-off object', '{"type":', 'Unexpected end of JSON input'],
    ['an empty file', '', 'Unexpected end of JSON input'],
  ])('says on one line what is wrong with %s', (_, text, problem) => {
    const err = failure(text);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe(`item.json is not valid JSON: ${problem}`);
    expect(err.message).not.toMatch(/[\n\r]/);
  });
});
