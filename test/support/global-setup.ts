import type { TestProject } from 'vitest/node';
import { ensureEmbeddedTemplate } from './embedded-template.ts';
import { createServerTemplate, dropServerTemplate, type ServerTemplate } from './server-template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Migrated embedded data directory to copy (always available). */
    tidemarkEmbeddedTemplate: string;
    /** Migrated template database on the DATABASE_URL server; null when DATABASE_URL is not set. */
    tidemarkServerTemplate: ServerTemplate | null;
  }
}

/**
 * vitest globalSetup: prepares migrated templates once per run, so each e2e test file gets its own fresh
 * database in about a second (server: CREATE DATABASE … TEMPLATE; embedded: a copied data directory).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  project.provide('tidemarkEmbeddedTemplate', await ensureEmbeddedTemplate(log));
  const url = process.env.DATABASE_URL;
  if (!url) {
    log(
      '[tidemark] DATABASE_URL is not set: e2e tests run on the embedded PGlite database (JS tile encoder only)',
    );
    project.provide('tidemarkServerTemplate', null);
    return async () => {};
  }
  const template = await createServerTemplate(url);
  project.provide('tidemarkServerTemplate', template);
  return () => dropServerTemplate(template);
}
