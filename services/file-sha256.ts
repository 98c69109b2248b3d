import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TidemarkError } from '../common/errors.ts';
import { fileErrorText } from '../common/file-error-text.ts';

/**
 * sha256 and size of a file's bytes, streamed so a multi-GB scene never sits in memory. A path that cannot
 * be read is a TidemarkError naming it: NOT_FOUND when there is no such file, INVALID_INPUT otherwise.
 */
export async function fileSha256(path: string): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      hash.update(chunk as Buffer);
      sizeBytes += (chunk as Buffer).length;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'it is a directory, not a scene file' : fileErrorText(err);
    throw new TidemarkError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT',
      `cannot read ${path}: ${why}`,
      {
        cause: err,
      },
    );
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
