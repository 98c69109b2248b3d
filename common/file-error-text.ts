import { getSystemErrorMap } from 'node:util';

/** Reading: what a failed open or stat of an input means, in words. */
const READING: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** Writing: the same codes, as they arise from a temp file beside the output or its rename into place. */
const WRITING: Record<string, string> = {
  ...READING,
  ENOENT: 'its directory does not exist',
  ENOTEMPTY: 'it is a directory',
};

/**
 * Why a file operation failed, in words ("no such file", "permission denied"), without the syscall, the
 * errno code or a path (a temp file's, say): for messages that name the user's own path themselves.
 */
export function fileErrorText(err: unknown, doing: 'reading' | 'writing' = 'reading'): string {
  const e = err as NodeJS.ErrnoException;
  const known = e.code === undefined ? undefined : (doing === 'reading' ? READING : WRITING)[e.code];
  if (known) return known;
  if (typeof e.errno === 'number') {
    const described = getSystemErrorMap().get(e.errno);
    if (described) return described[1];
  }
  return e.code ?? (err instanceof Error ? err.message : String(err));
}
