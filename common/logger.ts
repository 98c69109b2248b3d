import { type DestinationStream, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export interface LoggerOptions {
  /**
   * One readable line per event (time, level, message, fields) instead of JSON. Default: when stderr is a
   * terminal and LOG_FORMAT is not `json`; logs sent to a file or a collector stay JSON.
   */
  pretty?: boolean;
  /** Where the lines go (default: stderr, file descriptor 2). */
  destination?: number | string;
}

/** Structured logs go to stderr so that CLI output on stdout (GeoJSON, CSV) stays clean. */
export function createLogger(name = 'tidemark', options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? 2;
  const readable =
    options.pretty ??
    (destination === 2 && process.stderr.isTTY === true && process.env.LOG_FORMAT !== 'json');
  const stream: DestinationStream = readable
    ? pretty({
        destination,
        // Synchronous, as pino.destination is: nothing logged just before an exit is lost.
        sync: true,
        colorize: destination === 2 && process.stderr.isTTY === true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
      })
    : pino.destination({ dest: destination, sync: true });
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' }, stream);
}

export type { Logger };
