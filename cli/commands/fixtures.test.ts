import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultOutDir,
  fixturesCommand,
  parseNoise,
  parseSeed,
  parseSize,
  parseSlope,
  parseTideRange,
  parseYears,
  toSeriesSpec,
} from './fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'tidemark-fixtures-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `tidemark fixtures …` in a child process, the way a user would. */
function runFixtures(args: string[]) {
  const script =
    "import { Command } from 'commander';" +
    "import { fixturesCommand } from './cli/commands/fixtures.ts';" +
    "import { runCli } from './cli/run-cli.ts';" +
    "const program = new Command('tidemark').addCommand(fixturesCommand());" +
    "process.exitCode = await runCli(program, ['node', 'tidemark', ...process.argv.slice(1)]);";
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, '--', 'fixtures', ...args],
    {
      cwd: repo,
      encoding: 'utf8',
    },
  );
}

describe('fixtures option parsers', () => {
  it('accept good values', () => {
    expect(parseSize('512')).toBe(512);
    expect(parseYears('2016-2025')).toEqual({ firstYear: 2016, lastYear: 2025 });
    expect(parseYears('2020')).toEqual({ firstYear: 2020, lastYear: 2020 });
    expect(parseNoise('0.06')).toBe(0.06);
    expect(parseNoise('0')).toBe(0);
    expect(parseSeed('42')).toBe(42);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['size not a number', () => parseSize('big'), /whole number/],
    ['size fractional', () => parseSize('512.5'), /whole number/],
    ['size too small', () => parseSize('8'), /between 64 and 65536/],
    ['size too large', () => parseSize('70000'), /between 64 and 65536/],
    ['years malformed', () => parseYears('2016..2025'), /YYYY-YYYY/],
    ['years reversed', () => parseYears('2025-2016'), /ends before it starts/],
    ['years out of range', () => parseYears('1950-1960'), /1984–2100/],
    ['noise not a number', () => parseNoise('lots'), /expected a number/],
    ['noise empty', () => parseNoise(''), /expected a number/],
    ['noise as a percentage', () => parseNoise('3'), /fraction in \[0, 0.5\]/],
    ['noise negative', () => parseNoise('-0.1'), /fraction/],
    ['seed negative', () => parseSeed('-1'), /non-negative integer/],
    ['seed fractional', () => parseSeed('1.5'), /non-negative integer/],
    ['seed too large', () => parseSeed('4294967296'), /below 2\^32/],
    ['tide range not a number', () => parseTideRange('high'), /tide range .* must be a number/],
    ['tide range zero', () => parseTideRange('0'), /tide range/],
    ['tide range too large', () => parseTideRange('30'), /tide range/],
    ['slope negative', () => parseSlope('-0.001'), /slope/],
    ['slope as a ratio', () => parseSlope('1:1000'), /slope/],
    ['slope too steep', () => parseSlope('0.9'), /slope/],
    [
      'tide range without --mudflat',
      () =>
        toSeriesSpec({
          size: 256,
          years: { firstYear: 2016, lastYear: 2016 },
          noise: 0,
          seed: 1,
          slope: 0.01,
        }),
      /need --mudflat/,
    ],
  ];
  for (const [name, run, message] of bad) it(`rejects ${name}`, () => expect(run).toThrow(message));

  it('keeps big scenes out of the committed folder by default', () => {
    expect(defaultOutDir(512)).toBe('fixtures/scenes');
    expect(defaultOutDir(8192)).toBe('fixtures/large/size-8192');
    const spec = toSeriesSpec({
      size: 1024,
      years: { firstYear: 2016, lastYear: 2025 },
      noise: 0.03,
      seed: 1,
    });
    expect(spec).toMatchObject({ outDir: 'fixtures/large/size-1024', ponds: true });
    expect(
      toSeriesSpec({ size: 256, years: { firstYear: 2016, lastYear: 2016 }, noise: 0, seed: 1, ponds: false })
        .ponds,
    ).toBe(false);
  });

  it('turns --mudflat into a mudflat spec with Ca Mau defaults', () => {
    const base = { size: 1024, years: { firstYear: 2016, lastYear: 2025 }, noise: 0.03, seed: 1 };
    expect(parseTideRange('3')).toBe(3);
    expect(parseSlope('0.001')).toBe(0.001);
    expect(toSeriesSpec({ ...base, mudflat: true }).mudflat).toEqual({ tideRangeM: 3, slope: 0.001 });
    expect(toSeriesSpec({ ...base, mudflat: true, tideRange: 1, slope: 0.002, height: 2048 })).toMatchObject({
      mudflat: { tideRangeM: 1, slope: 0.002 },
      heightPx: 2048,
    });
    expect(toSeriesSpec(base).mudflat).toBeUndefined();
  });

  it('documents every option in --help', () => {
    const help = fixturesCommand().helpInformation();
    for (const flag of [
      '--size',
      '--years',
      '--noise',
      '--seed',
      '--ponds',
      '--no-ponds',
      '--out',
      '--height',
      '--mudflat',
      '--tide-range',
      '--slope',
    ]) {
      expect(help).toContain(flag);
    }
  });
});

describe('tidemark fixtures', () => {
  it('writes a series and reports where', () => {
    const out = join(root, 'ok');
    const result = runFixtures([
      '--size',
      '200',
      '--years',
      '2016-2017',
      '--noise',
      '0',
      '--seed',
      '3',
      '--no-ponds',
      '--out',
      out,
    ]);
    expect(result.stderr).toContain('[2/2] ca-mau-2017.tif');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('2 scenes (200×200 px, noise 0, seed 3)');
    const manifest = JSON.parse(readFileSync(join(out, 'series.json'), 'utf8'));
    expect(manifest).toMatchObject({
      size_px: 200,
      first_year: 2016,
      last_year: 2017,
      noise: 0,
      seed: 3,
      ponds: false,
    });
    expect(manifest.regenerate).toContain('--no-ponds');
  });

  it('writes a series of one year, whose truth has positions but no rates', () => {
    const out = join(root, 'one-year');
    const result = runFixtures([
      '--size',
      '200',
      '--years',
      '2016',
      '--noise',
      '0',
      '--no-ponds',
      '--out',
      out,
    ]);
    expect(result.stderr).not.toContain('error');
    expect(result.status).toBe(0);
    expect(existsSync(join(out, 'ca-mau-2016.tif'))).toBe(true);
    const rates = JSON.parse(readFileSync(join(out, 'truth-rates.json'), 'utf8')) as {
      points: { transect_rate_m_yr: number | null }[];
    };
    expect(rates.points.length).toBeGreaterThan(0);
    expect(rates.points.every((p) => p.transect_rate_m_yr === null)).toBe(true);
  });

  it('fails with a clear message, a non-zero exit and no output for a bad option', () => {
    const out = join(root, 'bad-noise');
    const result = runFixtures(['--noise', '5', '--out', out]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/option '--noise <sigma>' argument '5' is invalid\. noise is a fraction/);
    expect(existsSync(out)).toBe(false);
  });

  it('fails clearly when the scene is too small for the years', () => {
    const out = join(root, 'too-small');
    const result = runFixtures(['--size', '100', '--years', '2016-2025', '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error: a 100-px-wide scene is too narrow for 2016–2025/);
    expect(existsSync(out)).toBe(false);
  });
});
