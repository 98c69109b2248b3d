import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { TidemarkError } from './errors.ts';
import { fileErrorText } from './file-error-text.ts';

/**
 * Writes `data` to `path` atomically: a temp file beside it, fsync, rename. The temp file is removed on any
 * failure, so a reader sees either the old file or the complete new one, never a partial one. A file that is
 * replaced keeps its permission bits, and a symlink to one is kept (the file it names is replaced). A device
 * or a pipe (`/dev/stdout`, a FIFO) is written to, not replaced. A failure is a TidemarkError naming `path`
 * (never the temp file).
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  writeFilesAtomic([[path, data]]);
}

/**
 * Writes several files the way `writeFileAtomic` writes one: every temp file is written and synced before
 * the first is renamed into place, so a failure while writing (a full disk, say) leaves none of them
 * changed and no temp file behind.
 */
export function writeFilesAtomic(files: readonly (readonly [string, Uint8Array | string])[]): void {
  /** Temp files created and not yet renamed: the ones to remove on failure. */
  const temps: string[] = [];
  let current = '';
  try {
    const targets = files.map(([path, data]) => ({ path, data, target: outputTarget(path) }));
    const replaced = targets.filter((t) => t.target.kind === 'file');
    for (const { path, data, target } of replaced) {
      current = path;
      writeTemp(tempPathFor(target.path), data, existingMode(target.path), temps);
    }
    replaced.forEach(({ path, target }, i) => {
      current = path;
      renameSync(temps[i]!, target.path);
      temps[i] = '';
    });
    // A device or a pipe cannot be replaced, and needs no temp file: nothing else reads it as a file.
    for (const { path, data, target } of targets) {
      current = path;
      if (target.kind === 'special') writeFileSync(target.path, data);
    }
  } catch (err) {
    for (const temp of temps) if (temp) rmSync(temp, { force: true });
    // ENOENT with the directory there: a file system where no file can be made (/proc, say).
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' && isDirectory(dirname(resolve(current)))
        ? 'no file can be created in its directory'
        : fileErrorText(err, 'writing');
    throw new TidemarkError('INVALID_INPUT', `cannot write ${current}: ${why}`, { cause: err });
  }
}

/**
 * Where an output really goes: an existing device, pipe or socket (`/dev/stdout`, a FIFO) is written to as it
 * is; a symlink to a file is followed, so the file it names is replaced and the link kept; anything else is
 * the path itself, replaced atomically.
 */
function outputTarget(path: string): { kind: 'file' | 'special'; path: string } {
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(path);
  } catch {
    // Nothing there yet (or a dangling link): a new file at the path.
  }
  if (stats && !stats.isFile() && !stats.isDirectory()) return { kind: 'special', path };
  try {
    if (lstatSync(path).isSymbolicLink()) return { kind: 'file', path: realpathSync(path) };
  } catch {
    // As above.
  }
  return { kind: 'file', path };
}

/** A hidden sibling of `path`, unique to this process and call; the name is shortened to fit NAME_MAX. */
function tempPathFor(path: string): string {
  const name = basename(path).slice(0, 200);
  return join(dirname(path), `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** The permission bits of the file at `path`, or null when there is none to keep. */
function existingMode(path: string): number | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.mode & 0o777 : null;
  } catch {
    return null;
  }
}

/** Creates `temp` (recording it in `created` at once), writes `data` and syncs it. */
function writeTemp(temp: string, data: Uint8Array | string, mode: number | null, created: string[]): void {
  const fd = openSync(temp, 'wx', 0o644);
  created.push(temp);
  try {
    // The mode given to open is reduced by the umask; fchmod is not, so a replaced file keeps exactly its own.
    if (mode !== null) fchmodSync(fd, mode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** An output a command will write: the flag that named it (for messages) and the path as given. */
export interface OutputTarget {
  readonly flag: string;
  readonly path: string;
}

/** A file a command reads: what it is, as a message names it (e.g. "the scene"), and the path as given. */
export interface InputFile {
  readonly what: string;
  readonly path: string;
}

/**
 * Checks, before any work, that each output can be written and that it overwrites nothing the command reads:
 * its value is not empty, its directory exists and is writable, it is not a directory, it is not the same
 * file as an input (by real path, or by device and inode for files that exist, so a symlink or a hard link
 * counts) and no two outputs are the same file. Each failure is an INVALID_INPUT naming the flag and paths.
 */
export function checkOutputPaths(outputs: readonly OutputTarget[], inputs: readonly InputFile[] = []): void {
  for (const { flag, path } of outputs) {
    if (path === '') throw invalid(`${flag} is empty: give the path of a file`);
    const target = resolve(path);
    const dir = dirname(target);
    let dirIsDirectory: boolean;
    try {
      dirIsDirectory = statSync(dir).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw invalid(`${flag}: directory ${dir} does not exist`);
      if (code !== 'ENOTDIR') throw invalid(`cannot write ${path}: ${fileErrorText(err, 'writing')}`);
      dirIsDirectory = false;
    }
    if (!dirIsDirectory) throw invalid(`${flag}: ${dir} is not a directory`);
    if (isDirectory(target)) throw invalid(`${flag}: ${target} is a directory`);
    // A device or a pipe is written as it is, and a symlinked file replaced where it really is.
    const where = outputTarget(target);
    try {
      accessSync(where.kind === 'special' ? where.path : dirname(where.path), constants.W_OK);
    } catch (err) {
      throw invalid(`cannot write ${path}: ${fileErrorText(err, 'writing')}`);
    }
  }
  const outs = outputs.map((o) => ({ ...o, id: fileIdentity(o.path) }));
  const ins = inputs.map((i) => ({ ...i, id: fileIdentity(i.path) }));
  outs.forEach((out, i) => {
    for (const other of outs.slice(0, i)) {
      if (sameFile(out.id, other.id)) {
        throw invalid(`${other.flag} ${other.path} and ${out.flag} ${out.path} are the same file`);
      }
    }
    for (const input of ins) {
      if (sameFile(out.id, input.id)) {
        throw invalid(`${out.flag} ${out.path} is the same file as ${input.what} ${input.path}`);
      }
    }
  });
}

interface FileIdentity {
  /** The absolute path with every symlink resolved (of the directory only, for a file that does not exist). */
  readonly realPath: string;
  /** Device and inode of an existing file, else null. */
  readonly inode: string | null;
}

function fileIdentity(path: string): FileIdentity {
  const absolute = resolve(path);
  try {
    const stats = statSync(absolute, { bigint: true });
    return { realPath: realpathSync(absolute), inode: `${stats.dev}:${stats.ino}` };
  } catch {
    try {
      return { realPath: join(realpathSync(dirname(absolute)), basename(absolute)), inode: null };
    } catch {
      return { realPath: absolute, inode: null };
    }
  }
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.realPath === b.realPath || (a.inode !== null && a.inode === b.inode);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function invalid(message: string): TidemarkError {
  return new TidemarkError('INVALID_INPUT', message);
}
