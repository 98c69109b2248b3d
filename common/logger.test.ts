import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-log-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one JSON object per event by default (logs to a file or a collector)', async () => {
    const file = join(dir, 'json.log');
    createLogger('serve', { destination: file }).info({ url: 'http://127.0.0.1:8080' }, 'listening');
    const line = JSON.parse((await readFile(file, 'utf8')).trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, name: 'serve', msg: 'listening', url: 'http://127.0.0.1:8080' });
  });

  it('writes a readable line with the time, level, name, message and fields for a terminal', async () => {
    const file = join(dir, 'pretty.log');
    createLogger('demo', { destination: file, pretty: true }).warn({ scenes: 10 }, 'ingested');
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] WARN \(demo\): ingested\n\s+scenes: 10\n$/);
  });
});
