import { readFile } from 'node:fs/promises';
import { TidemarkError } from '../common/errors.ts';
import { parseJsonText } from '../sources/parse-json-text.ts';

/** Reads and parses a JSON input file; every failure names the file and what it was meant to hold. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TidemarkError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT',
      `${path}: cannot read the ${what} file (${code ?? 'error'})`,
      { cause: err },
    );
  }
  return parseJsonText(text, `${path}: the ${what} file`);
}
