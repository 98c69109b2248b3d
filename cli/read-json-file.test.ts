import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../common/errors.ts';
import { readJsonFile } from './read-json-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readJsonFile', () => {
  it('reads a JSON file', async () => {
    const path = put('line.geojson', '{"type": "LineString", "coordinates": []}');
    expect(await readJsonFile(path, 'baseline')).toEqual({ type: 'LineString', coordinates: [] });
  });

  it('names the file and the parse problem on one line', async () => {
    const path = put('two-lines.geojson', 'not\njson\n');
    const err = await readJsonFile(path, 'reference').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    expect((err as TidemarkError).code).toBe('INVALID_INPUT');
    expect((err as Error).message).toBe(
      `${path}: the reference file is not valid JSON: Unexpected token 'o', "not\\njson\\n" is not valid JSON`,
    );
  });

  it('names a missing file', async () => {
    const path = join(dir, 'nope.geojson');
    await expect(readJsonFile(path, 'baseline')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `${path}: cannot read the baseline file (ENOENT)`,
    });
  });
});
