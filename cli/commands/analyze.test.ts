import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TidemarkError } from '../../common/errors.ts';
import type { AnalyzeSummary } from '../../services/analyze-site.ts';
import {
  type AnalyzeCliOptions,
  analyzeCommand,
  formatSummary,
  summaryNotes,
  toAnalyzeOptions,
} from './analyze.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidemark-analyze-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Parses argv with the real command; the action (which opens the database) must never be reached. */
async function parse(argv: string[]): Promise<{ error: CommanderError; stderr: string }> {
  let stderr = '';
  const command = analyzeCommand()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => undefined })
    .action(() => {
      throw new Error('the action ran: bad options were not rejected');
    });
  const error = await command.parseAsync(argv, { from: 'user' }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CommanderError);
  return { error: error as CommanderError, stderr };
}

describe('tidemark analyze options', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing --site', [], /required option '--site <slug>' not specified/],
    ['a bad site slug', ['--site', 'Ca Mau'], /slug is 1–63 lowercase letters/],
    [
      'a negative spacing',
      ['--site', 'x', '--spacing', '-5'],
      /--spacing.*positive number of metres, got -5/,
    ],
    ['a zero spacing', ['--site', 'x', '--spacing', '0'], /--spacing.*positive number of metres, got 0/],
    ['a spacing that is not a number', ['--site', 'x', '--spacing', 'wide'], /'wide' is not a number/],
    ['a negative length', ['--site', 'x', '--length', '-1'], /--length.*positive number/],
    ['a confidence of 100 %', ['--site', 'x', '--confidence', '100'], /--confidence.*between 0 and 100/],
    ['a confidence of 0 %', ['--site', 'x', '--confidence', '0'], /--confidence.*between 0 and 100/],
    ['a negative uncertainty', ['--site', 'x', '--uncertainty', '-10'], /--uncertainty.*positive/],
    ['an unknown intersection rule', ['--site', 'x', '--intersection', 'middle'], /seaward, landward/],
    [
      'a negative baseline offset',
      ['--site', 'x', '--baseline-offset', '-500'],
      /--baseline-offset.*positive/,
    ],
    ['a negative smoothing', ['--site', 'x', '--smoothing', '-1'], /--smoothing.*0 or more metres/],
  ];
  for (const [name, argv, message] of cases) {
    it(`rejects ${name} with a clear error and a non-zero exit code`, async () => {
      const { error, stderr } = await parse(argv);
      expect(error.exitCode).not.toBe(0);
      expect(stderr).toMatch(message);
    });
  }

  it('documents every option in --help', async () => {
    let out = '';
    const command = analyzeCommand()
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: () => undefined });
    await expect(command.parseAsync(['--help'], { from: 'user' })).rejects.toMatchObject({ exitCode: 0 });
    for (const flag of [
      '--site',
      '--spacing',
      '--length',
      '--confidence',
      '--uncertainty',
      '--intersection',
      '--baseline',
      '--baseline-offset',
      '--smoothing',
    ]) {
      expect(out).toContain(flag);
    }
    expect(out).toMatch(/one transaction/);
  });
});

describe('toAnalyzeOptions', () => {
  const base: AnalyzeCliOptions = {
    site: 'x',
    spacing: 25,
    length: 1500,
    confidence: 95,
    uncertainty: 12,
    intersection: 'landward',
    baselineOffset: 300,
    smoothing: 0,
  };

  it('turns flags into service options (confidence as a fraction) and leaves its input unchanged', async () => {
    const input = structuredClone(base);
    expect(await toAnalyzeOptions(input)).toEqual({
      spacingM: 25,
      lengthM: 1500,
      confidence: 0.95,
      uncertaintyM: 12,
      intersection: 'landward',
      baselineOffsetM: 300,
      smoothingM: 0,
    });
    expect(input).toEqual(base);
  });

  it('reads the baseline file and names it as the source', async () => {
    const path = join(dir, 'baseline.geojson');
    const geometry = {
      type: 'LineString',
      coordinates: [
        [105, 8.7],
        [105.01, 8.71],
      ],
    };
    await writeFile(path, JSON.stringify(geometry));
    const options = await toAnalyzeOptions({ ...base, baseline: path });
    expect(options.baseline).toEqual(geometry);
    expect(options.baselineSource).toBe(path);
  });

  it('names a missing baseline file', async () => {
    const path = join(dir, 'nope.geojson');
    await expect(toAnalyzeOptions({ ...base, baseline: path })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(path),
    });
  });

  it('names a baseline file that is not JSON', async () => {
    const path = join(dir, 'broken.geojson');
    await writeFile(path, '{"type": "LineString", ');
    const err = await toAnalyzeOptions({ ...base, baseline: path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TidemarkError);
    const message = (err as TidemarkError).message;
    expect(message.startsWith(`${path}: the baseline file is not valid JSON: `), message).toBe(true);
    expect(message).not.toContain('\n');
  });
});

describe('formatSummary', () => {
  const summary = (dates: number): AnalyzeSummary => ({
    siteId: 1,
    slug: 'ca-mau',
    analysisId: 7,
    epsg: 32648,
    dataVersion: 42,
    dates: { count: dates, first: '2016-03-01', last: '2025-03-04' },
    excludedShorelines: 0,
    baseline: 'generated',
    counts: {
      analyses: 1,
      transects: 216,
      transectStats: 216,
      intersections: 2160,
      changePolygons: 20,
      forecasts: 2,
      hazardZones: 2,
    },
    transectsWithRate: 214,
    erosionAreaM2: 1_005_460,
    accretionAreaM2: 4_130_034,
    hazardAreaM2: { 10: 1_153_908, 20: 2_345_478 },
    warnings: [],
  });

  it('reports counts, areas in hectares and the data version on one line', () => {
    const line = formatSummary(summary(10));
    expect(line).toBe(
      'analysed ca-mau: 10 dates (2016-03-01 → 2025-03-04), generated baseline, 216 transects (214 with a regression rate), ' +
        '20 change polygons (first → last: erosion 100.5 ha, accretion 413.0 ha), hazard zones 10 y 115.4 ha, ' +
        '20 y 234.5 ha; analysis #7, data version 42\n',
    );
  });

  it('says why rates and hazard zones are missing when there are too few dates for them', () => {
    expect(formatSummary(summary(3))).toMatch(/, hazard zones none \(too few dates\); /);
    expect(summaryNotes(summary(10))).toEqual([]);
    expect(summaryNotes(summary(4))).toEqual([]);
    const three = summaryNotes(summary(3));
    expect(three).toHaveLength(1);
    expect(three[0]).toMatch(
      /^forecasts and hazard zones need 4 or more shoreline dates; with 3, there are none/,
    );
    const two = summaryNotes(summary(2));
    expect(two).toHaveLength(2);
    expect(two[0]).toMatch(/^rates by regression \(LRR, WLR\) need 3 or more shoreline dates; with 2, /);
  });
});
