import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TidemarkError } from '../common/errors.ts';
import { createLogger, type Logger } from '../common/logger.ts';
import type { Database } from '../store/db.ts';
import { DEFAULT_VIEWER_DIR, ensureViewerBuilt } from '../viewer/build-viewer.ts';
import { appRequestListener, createApp } from './app.ts';
import { closeRestApi } from './rest-api.ts';

export interface StartServerOptions {
  db: Database;
  /** TCP port; defaults to PORT, then 8080. 0 picks a free port (tests). */
  port?: number;
  /** Interface to listen on; defaults to HOST, then 127.0.0.1 (expose it deliberately, e.g. 0.0.0.0). */
  host?: string;
  logger?: Logger;
  /** Built viewer to serve at `/`; defaults to dist/viewer. */
  viewerDir?: string;
  /** Build the viewer first if `viewerDir` is missing or older than viewer/ (default true). */
  buildViewer?: boolean;
  trustProxy?: boolean;
  publicUrl?: string;
}

export interface RunningServer {
  /** Base URL the server answers on, e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

function defaultPort(): number {
  const fromEnv = process.env.PORT;
  if (fromEnv === undefined || fromEnv === '') return 8080;
  const port = Number(fromEnv);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TidemarkError('INVALID_INPUT', `PORT must be a TCP port (0–65535), got '${fromEnv}'`);
  }
  return port;
}

/** Starts the API and viewer over HTTP; resolves once the socket listens. */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger('api');
  const viewerDir = opts.viewerDir ?? DEFAULT_VIEWER_DIR;
  if (opts.buildViewer ?? true) {
    try {
      const { built } = await ensureViewerBuilt(viewerDir);
      if (built) logger.info({ viewerDir }, 'viewer built');
    } catch (err) {
      // The API is still useful without the page (tiles, health); `/` then answers 503 and the log says why.
      logger.error({ err, viewerDir }, 'viewer build failed; serving the API only');
    }
  }
  const app = createApp({
    db: opts.db,
    logger,
    viewerDir,
    ...(opts.trustProxy === undefined ? {} : { trustProxy: opts.trustProxy }),
    ...(opts.publicUrl === undefined ? {} : { publicUrl: opts.publicUrl }),
  });
  const host = opts.host ?? (process.env.HOST || '127.0.0.1');
  const port = opts.port ?? defaultPort();
  const server = createServer(appRequestListener(app));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // A wildcard address is where we listen, not where a browser can go.
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const urlHost = wildcard
    ? 'localhost'
    : address.family === 'IPv6'
      ? `[${address.address}]`
      : address.address;
  const url = `http://${urlHost}:${address.port}`;
  logger.info({ url }, 'listening');
  return {
    url,
    close: async () => {
      // Stop background upload jobs first: that also ends their SSE streams, which would hold close() open.
      await closeRestApi(app);
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Idle keep-alive sockets would hold close() open until they time out.
        server.closeIdleConnections();
      });
    },
  };
}
