import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TidemarkError } from './errors.ts';
import { checkOutputPaths, writeFileAtomic, writeFilesAtomic } from './write-file-atomic.ts';

const root = mkdtempSync(join(tmpdir(), 'tidemark-write-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let fresh = 0;
/** A new empty directory per test, so its listing shows exactly what a write left behind. */
function newDir(): string {
  const dir = join(root, String(fresh++));
  mkdirSync(dir);
  return dir;
}

function caught(fn: () => void): TidemarkError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TidemarkError);
    return err as TidemarkError;
  }
  throw new Error('expected an error');
}

describe('writeFileAtomic', () => {
  it('writes a new file and leaves no temp file', () => {
    const dir = newDir();
    writeFileAtomic(join(dir, 'a.json'), '{"a":1}\n');
    writeFileAtomic(join(dir, 'b.bin'), new Uint8Array([1, 2, 3]));
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('{"a":1}\n');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.bin']);
  });

  it('keeps the permissions of the file it replaces (regression: 0640 became 0644)', () => {
    const dir = newDir();
    const path = join(dir, 'out.geojson');
    for (const mode of [0o640, 0o600, 0o664]) {
      writeFileSync(path, 'old');
      chmodSync(path, mode);
      writeFileAtomic(path, 'new');
      expect(readFileSync(path, 'utf8')).toBe('new');
      expect(statSync(path).mode & 0o777).toBe(mode);
    }
  });

  it('names the path it was given and the reason in words, not the temp file', () => {
    const dir = newDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const err = caught(() => writeFileAtomic(join(file, 'x.json'), 'data'));
    expect(err.message).toBe(`cannot write ${join(file, 'x.json')}: part of the path is not a directory`);
    expect(err.message).not.toMatch(/\.tmp|ENOTDIR|open/);
    expect(err.code).toBe('INVALID_INPUT');
  });

  it('removes its temp file when the rename fails', () => {
    const dir = newDir();
    // A non-empty directory where the file should go: the temp file is written, the rename fails.
    mkdirSync(join(dir, 'out.json'));
    writeFileSync(join(dir, 'out.json', 'inside'), 'x');
    const err = caught(() => writeFileAtomic(join(dir, 'out.json'), 'data'));
    expect(err.message).toBe(`cannot write ${join(dir, 'out.json')}: it is a directory`);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file', () => {
    const dir = newDir();
    writeFilesAtomic([
      [join(dir, 'a'), 'A'],
      [join(dir, 'b'), 'B'],
    ]);
    expect(readFileSync(join(dir, 'a'), 'utf8') + readFileSync(join(dir, 'b'), 'utf8')).toBe('AB');
  });

  it('changes none of the files and leaves no temp file when one cannot be written', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'a'), 'old');
    const err = caught(() =>
      writeFilesAtomic([
        [join(dir, 'a'), 'new'],
        [join(dir, 'missing', 'b'), 'B'],
      ]),
    );
    expect(err.message).toBe(`cannot write ${join(dir, 'missing', 'b')}: its directory does not exist`);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a']);
  });
});

describe('checkOutputPaths', () => {
  const dir = newDir();
  const input = join(dir, 'scene.tif');
  writeFileSync(input, 'scene');
  symlinkSync(input, join(dir, 'symlink.tif'));
  linkSync(input, join(dir, 'hardlink.tif'));
  mkdirSync(join(dir, 'sub'));

  it('accepts distinct outputs in writable directories, existing or not', () => {
    writeFileSync(join(dir, 'old.json'), 'x');
    expect(() =>
      checkOutputPaths(
        [
          { flag: '--out', path: join(dir, 'new.json') },
          { flag: '--zones', path: join(dir, 'old.json') },
        ],
        [{ what: 'the scene', path: input }],
      ),
    ).not.toThrow();
  });

  const cases: [string, string, RegExp][] = [
    ['an empty value', '', /^--out is empty: give the path of a file$/],
    ['a missing directory', join(dir, 'nope', 'x.json'), /^--out: directory .*nope does not exist$/],
    ['a path under a regular file', join(input, 'x.json'), /^--out: .*scene\.tif is not a directory$/],
    ['a directory', join(dir, 'sub'), /^--out: .*sub is a directory$/],
    ['the input itself', input, /^--out .*scene\.tif is the same file as the scene .*scene\.tif$/],
    ['the input through another path', join(dir, 'sub', '..', 'scene.tif'), /is the same file as the scene/],
    ['a symlink to the input', join(dir, 'symlink.tif'), /symlink\.tif is the same file as the scene/],
    ['a hard link to the input', join(dir, 'hardlink.tif'), /hardlink\.tif is the same file as the scene/],
  ];
  it.each(cases)('refuses %s', (_, out, message) => {
    const err = caught(() =>
      checkOutputPaths([{ flag: '--out', path: out }], [{ what: 'the scene', path: input }]),
    );
    expect(err.message).toMatch(message);
    expect(err.code).toBe('INVALID_INPUT');
  });

  it('refuses an input given as a symlink to the output', () => {
    const err = caught(() =>
      checkOutputPaths(
        [{ flag: '--out', path: input }],
        [{ what: 'the scene', path: join(dir, 'symlink.tif') }],
      ),
    );
    expect(err.message).toMatch(/scene\.tif is the same file as the scene .*symlink\.tif/);
  });

  it('refuses two outputs that are the same file, existing or not', () => {
    for (const name of ['both.json', 'scene.tif']) {
      const err = caught(() =>
        checkOutputPaths([
          { flag: '--out', path: join(dir, name) },
          { flag: '--zones', path: join(dir, 'sub', '..', name) },
        ]),
      );
      expect(err.message).toMatch(new RegExp(`^--out .*${name} and --zones .*${name} are the same file$`));
    }
  });
});

describe('writeFileAtomic to what is not a plain file', () => {
  it('writes into a FIFO instead of replacing it', async () => {
    const dir = newDir();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = join(dir, 'received');
    const reader = spawn('sh', ['-c', `cat "${fifo}" > "${received}"`]);
    try {
      writeFileAtomic(fifo, 'through the pipe');
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      await once(reader, 'exit');
    } finally {
      reader.kill();
    }
    expect(readFileSync(received, 'utf8')).toBe('through the pipe');
  });

  it('replaces the file a symlink names and keeps the link', () => {
    const dir = newDir();
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'real.json']);
  });
});
