import { Command } from 'commander';
import { startServer } from '../../api/server.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase } from '../../store/db.ts';
import { parsePort } from '../parse-port.ts';
import { waitForShutdown } from '../wait-for-shutdown.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the HTTP API (vector tiles, health) and the map viewer')
    .option('--port <port>', 'HTTP port (default: env PORT, else 8080)', parsePort)
    .option(
      '--host <host>',
      'interface to listen on (env HOST); 0.0.0.0 to accept remote clients',
      process.env.HOST ?? '127.0.0.1',
    )
    .option('--no-build-viewer', 'do not rebuild dist/viewer when viewer/ sources changed')
    .addHelpText(
      'after',
      '\nUses DATABASE_URL when set, otherwise the embedded database in TIDEMARK_DATA_DIR (default ./.tidemark).\n' +
        'Behind a reverse proxy set TIDEMARK_TRUST_PROXY=1 (honour X-Forwarded-Proto/Host) or\n' +
        'TIDEMARK_PUBLIC_URL=https://… (fixed origin for absolute URLs such as TileJSON tile URLs).',
    )
    .action(async (opts: { port?: number; host: string; buildViewer: boolean }) => {
      const logger = createLogger('serve');
      const db = await openDatabase({ logger });
      let signal: NodeJS.Signals;
      let startedMs: number;
      try {
        const server = await startServer({
          db,
          ...(opts.port === undefined ? {} : { port: opts.port }),
          host: opts.host,
          logger,
          buildViewer: opts.buildViewer,
        });
        process.stdout.write(`Tidemark: serving ${server.url}\n`);
        signal = await waitForShutdown();
        startedMs = Date.now();
        logger.info({ signal }, 'shutting down');
        await server.close();
      } finally {
        await db.close();
      }
      // A requested stop is a success, so the command exits 0 (not 128 + the signal's number).
      logger.info({ signal, durationMs: Date.now() - startedMs }, 'shut down');
    });
}
