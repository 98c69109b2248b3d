import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCommand, parseTideFlags } from './ingest.ts';

const dir = mkdtempSync(join(tmpdir(), 'tidemark-ingest-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseTideFlags', () => {
  it('reads --tide, --tides and --tide-datum', async () => {
    const csv = join(dir, 'tides.csv');
    writeFileSync(csv, 'datetime,height_m\n2020-02-14T03:00:00Z,0.4\n');
    const out = await parseTideFlags({ tide: '-0.5', tides: csv, tideDatum: 'LAT' }, 1);
    expect(out.tideFlagM).toBe(-0.5);
    expect(out.tideDatum).toBe('LAT');
    expect(Array.from(out.tideTable!.heightsM)).toEqual([0.4]);
    expect(await parseTideFlags({}, 3)).toEqual({});
  });

  it.each([
    [{ tide: 'low' }, 1, /--tide must be a tide height/],
    [{ tide: '' }, 1, /--tide must be a tide height/],
    [{ tide: '99' }, 1, /--tide must be a tide height/],
    [{ tide: '0.3' }, 2, /--tide applies to one scene/],
    [{ tides: '/nonexistent/tides.csv' }, 1, /cannot read tide table/],
    [{ tideDatum: 'mean sea level; DROP' }, 1, /--tide-datum must be a short name/],
  ])('rejects %j', async (flags, count, message) => {
    await expect(parseTideFlags(flags, count)).rejects.toThrow(message);
  });

  it('documents the proxy and tide options', () => {
    const help = ingestCommand().helpInformation();
    for (const flag of ['--proxy', '--tides', '--tide ', '--tide-datum']) expect(help).toContain(flag);
  });
});
