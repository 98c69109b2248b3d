/** The outcome of parsing one request parameter: its value, or why it was refused (for invalidParams). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function accepted<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function refused<T = never>(reason: string): Parsed<T> {
  return { ok: false, reason };
}
