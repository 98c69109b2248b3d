import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSite } from '../../services/analyze-site.ts';
import { ingestScene } from '../../services/ingest-scene.ts';
import { createSite } from '../../store/sites.ts';
import { FIXTURE_SCENES_DIR } from '../../test/support/analysed-fixture-site.ts';
import { type ProvisionedTestDatabase, provisionTestDatabase } from '../../test/support/test-db.ts';
import { createExtractPool } from '../../workers/extract-pool.ts';

const SITE_TS = fileURLToPath(new URL('./site.ts', import.meta.url));
const RUN_CLI_TS = fileURLToPath(new URL('../run-cli.ts', import.meta.url));
// The command on its own program, as cli/main.ts mounts it (so this test does not depend on the wiring).
const PROGRAM = `
import { Command } from 'commander';
import { siteCommand } from ${JSON.stringify(SITE_TS)};
import { runCli } from ${JSON.stringify(RUN_CLI_TS)};
const program = new Command('tidemark').addCommand(siteCommand());
process.exitCode = await runCli(program, ['node', 'tidemark', ...process.argv.slice(1)]);
`;

function tidemarkSite(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PROGRAM, 'site', ...args],
      { env: { ...env, LOG_LEVEL: 'warn' } },
    );
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
}

describe('tidemark site list', () => {
  let provisioned: ProvisionedTestDatabase;
  beforeAll(async () => {
    provisioned = await provisionTestDatabase();
    const db = await provisioned.open();
    try {
      await createSite(db.knex, { slug: 'ca-mau', name: 'Ca Mau', epsg: 32648 });
      await createSite(db.knex, { slug: 'bac-lieu', name: 'Bạc Liêu', epsg: 32648 });
      const pool = createExtractPool({ threads: 1 });
      const ingest = async (year: number) =>
        expect(
          (await ingestScene(db, 'ca-mau', `${FIXTURE_SCENES_DIR}ca-mau-${year}.tif`, {}, { pool })).status,
        ).toBe('ingested');
      try {
        for (const year of [2016, 2018, 2020]) await ingest(year);
        await analyzeSite(db, 'ca-mau');
        await ingest(2022);
      } finally {
        await pool.destroy();
      }
    } finally {
      // Closed, not disposed: the CLI opens it next.
      await db.close();
    }
  });
  afterAll(async () => {
    await provisioned?.drop();
  });

  it('lists each site with its scenes and whether its analysis leaves out newer shorelines', async () => {
    const { code, stdout } = await tidemarkSite(['list'], provisioned.env);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const analysed = lines.find((l) => l.startsWith('ca-mau\t'));
    const empty = lines.find((l) => l.startsWith('bac-lieu\t'));
    expect(analysed).toMatch(
      /^ca-mau\tCa Mau\tEPSG:32648\t4 scenes\tanalysed \d{4}-\d{2}-\d{2} \(2016-\d{2}-\d{2} → 2020-\d{2}-\d{2}\), 1 shoreline stored since, not in it: run tidemark analyze --site ca-mau$/,
    );
    expect(empty).toBe('bac-lieu\tBạc Liêu\tEPSG:32648\t0 scenes\tnot analysed');
  });
});
