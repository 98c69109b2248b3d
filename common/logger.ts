import { type Logger, pino } from 'pino';

/** Structured logs go to stderr so that CLI output on stdout (GeoJSON, CSV) stays clean. */
export function createLogger(name = 'tidemark'): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
}

export type { Logger };
