import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TidemarkError } from '../common/errors.ts';
import { createLogger, type Logger } from '../common/logger.ts';
import type { Database } from '../store/db.ts';
import { DEFAULT_VIEWER_DIR, ensureViewerBuilt } from '../viewer/build-viewer.ts';
import { appRequestListener, beginShutdown, createApp, endEventStreams } from './app.ts';
import { closeRestApi, type RestApiOptions } from './rest-api.ts';

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
  /** REST API, auth and upload settings (unset ones come from the environment); see api/rest-api.ts. */
  rest?: RestApiOptions;
  /** Longest close() waits for requests to finish before it cuts their connections (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  /** Base URL the server answers on, e.g. http://127.0.0.1:8080 */
  url: string;
  /**
   * Stops accepting connections, answers uploads in progress 503, stops this process's jobs, ends every event
   * stream, and waits for the other requests, up to shutdownTimeoutMs; then cuts what is left (and logs it).
   */
  close(): Promise<void>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

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
    ...(opts.rest === undefined ? {} : { rest: opts.rest }),
  });
  const host = opts.host ?? (process.env.HOST || '127.0.0.1');
  const port = opts.port ?? defaultPort();
  const server = createServer(appRequestListener(app));
  // Requests still open, so a shutdown that runs out of time can say which ones it cut.
  const open = new Map<Socket, string>();
  let stopping = false;
  server.on('request', (req, res) => {
    open.set(req.socket, `${req.method} ${req.url}`);
    res.once('close', () => {
      open.delete(req.socket);
      // A keep-alive socket whose response ended during shutdown would otherwise linger until it times out.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
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
  const timeoutMs = opts.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  let closing: Promise<void> | null = null;
  const shutdown = async () => {
    const closed = new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
    });
    stopping = true;
    beginShutdown(app);
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      // Stop this process's upload jobs first: their event streams then end with the job's last status.
      const stopJobs = closeRestApi(app).then(
        () => 'done' as const,
        (err: unknown) => {
          logger.error({ err }, 'could not stop the upload jobs');
          return 'done' as const;
        },
      );
      const jobs = await Promise.race([stopJobs, outOfTime]);
      if (jobs === 'timeout')
        logger.warn({ timeoutMs }, 'upload jobs did not stop within the shutdown time limit');
      // Streams of jobs other processes run (followed in the database) would otherwise never end.
      endEventStreams(app);
      // Idle keep-alive sockets would hold close() open until they time out.
      server.closeIdleConnections();
      if ((await Promise.race([closed.then(() => 'done' as const), outOfTime])) === 'timeout') {
        logger.warn(
          { timeoutMs, requests: [...open.values()] },
          'shutdown time limit reached; cutting the requests still open',
        );
        server.closeAllConnections();
        await closed;
      }
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    url,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
  };
}
