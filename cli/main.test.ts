import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/tidemark.js', import.meta.url));

/** `tidemark …` as a user runs it: the installed entry point. */
function tidemark(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

describe('tidemark (the program)', () => {
  it('prints its version', () => {
    for (const flag of ['--version', '-V']) {
      const run = tidemark(flag);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe('0.1.0\n');
    }
  });

  it('lists every command in its help', () => {
    const run = tidemark('--help');
    expect(run.status, run.stderr).toBe(0);
    for (const command of [
      'extract',
      'site',
      'ingest',
      'rates',
      'analyze',
      'migrate',
      'serve',
      'key',
      'demo',
      'fixtures',
    ])
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('names an unknown command and exits non-zero', () => {
    const run = tidemark('extrakt');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("unknown command 'extrakt'");
  });
});
