export type ContentCoding = 'br' | 'gzip' | 'identity';

/** Our preference when the client weighs codings equally: brotli is smaller for MVT, gzip is universal. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/**
 * Picks the response coding from an Accept-Encoding header (RFC 9110 §12.5.3): highest q wins, ties go to our
 * preference, `*` covers codings not named, and identity stays acceptable unless refused (explicitly or by `*;q=0`).
 * Only codings in `available` are chosen (a small body has no compressed form). Returns null only when the
 * client refuses every available coding, identity included (the caller answers 406).
 */
export function negotiateEncoding(
  acceptEncoding: string | undefined,
  available: readonly ContentCoding[] = PREFERENCE,
): ContentCoding | null {
  if (acceptEncoding === undefined || acceptEncoding.trim() === '') {
    return available.includes('identity') ? 'identity' : null;
  }
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key?.trim().toLowerCase() === 'q' && value !== undefined) {
        const parsed = Number(value.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    // A repeated coding keeps its highest weight rather than whichever came last.
    weights.set(name, Math.max(q, weights.get(name) ?? 0));
  }
  const star = weights.get('*');
  // Unlisted identity ranks with the least-preferred coding the client named (as the `negotiator` package
  // does): "br;q=0.5, gzip;q=0.8" asks for compression, even though identity is never refused implicitly.
  const positive = [...weights.values()].filter((q) => q > 0);
  const implicitIdentity = positive.length > 0 ? Math.min(...positive) : 1;
  const weightOf = (coding: ContentCoding): number => {
    const explicit = weights.get(coding);
    if (explicit !== undefined) return explicit;
    if (star !== undefined) return star;
    return coding === 'identity' ? implicitIdentity : 0;
  };
  let best: ContentCoding | null = null;
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    if (!available.includes(coding)) continue;
    const q = weightOf(coding);
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/**
 * RFC 9110 §12.5.3: identity is acceptable unless the header gives it q=0, or gives `*` q=0 without naming
 * identity. (Small tiles are sent uncompressed to such clients even when they prefer gzip or brotli.)
 */
export function identityAcceptable(acceptEncoding: string): boolean {
  let identity: number | undefined;
  let star: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (name !== 'identity' && name !== '*') continue;
    let q = 1;
    for (const param of params) {
      const [k, v] = param.split('=');
      if (k?.trim().toLowerCase() === 'q') q = Number(v?.trim());
    }
    const weight = Number.isFinite(q) ? q : 0;
    if (name === 'identity') identity = Math.max(identity ?? 0, weight);
    else star = Math.max(star ?? 0, weight);
  }
  if (identity !== undefined) return identity > 0;
  return star === undefined || star > 0;
}
