import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TidemarkError } from '../common/errors.ts';
import type { Database } from './db.ts';
import { type Queryable, toQueryable } from './queryable.ts';

export type ApiKeyRole = 'analyst' | 'admin';

export const API_KEY_ROLES: readonly ApiKeyRole[] = ['analyst', 'admin'];

/** A stored key as anyone may see it: never the secret, never its hash. */
export interface ApiKey {
  id: number;
  name: string;
  role: ApiKeyRole;
  /** Public lookup part of the key (the `tmk_<prefix>_` head), safe to show in listings and logs. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdByKeyId: number | null;
}

export interface NewApiKey {
  role: ApiKeyRole;
  name?: string;
  /** The admin key that created this one (null from the CLI). */
  createdByKeyId?: number | null;
}

/** Why a presented key was refused: every one of these is a 401 to the client. */
export type ApiKeyRejection = 'malformed' | 'unknown' | 'revoked' | 'expired';

export type ApiKeyCheck = { ok: true; key: ApiKey } | { ok: false; reason: ApiKeyRejection };

/**
 * Keys look like `tmk_<12 hex>_<43 base64url>`: a public lookup prefix and a 32-byte random secret.
 * Only a salted sha256 of the secret is stored. A slow KDF (scrypt) protects low-entropy passwords; a
 * 256-bit random secret cannot be guessed either way, and sha256 keeps a key check in microseconds, which
 * matters when every tile read carries a key (TIDEMARK_PUBLIC_READS=0).
 */
const KEY_PATTERN = /^tmk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const HASH_ALGORITHM = 'sha256';
const SECRET_BYTES = 32;
const SALT_BYTES = 16;
// Compared against when the prefix is unknown, so that path costs the same hash as a real check.
const DUMMY_SALT = randomBytes(SALT_BYTES).toString('hex');
const DUMMY_HASH = Buffer.alloc(32);

const COLUMNS = {
  id: 'id',
  name: 'name',
  role: 'role',
  prefix: 'key_prefix',
  createdAt: 'created_at',
  lastUsedAt: 'last_used_at',
  expiresAt: 'expires_at',
  revokedAt: 'revoked_at',
  createdByKeyId: 'created_by_key_id',
} as const;
// knex's returning() takes no alias object; "column as field" strings give the same shape.
const RETURNING = Object.entries(COLUMNS).map(([field, column]) => `${column} as ${field}`);

function hashSecret(saltHex: string, secret: string): Buffer {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(secret, 'utf8').digest();
}

function validateNewKey(input: NewApiKey): { role: ApiKeyRole; name: string } {
  if (!API_KEY_ROLES.includes(input.role)) {
    throw new TidemarkError(
      'INVALID_INPUT',
      `invalid role '${String(input.role)}': use ${API_KEY_ROLES.join(' or ')}`,
    );
  }
  const name = input.name === undefined ? `${input.role} key` : input.name;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 100) {
    throw new TidemarkError('INVALID_INPUT', 'a key name must be 1–100 characters');
  }
  return { role: input.role, name: name.trim() };
}

/**
 * Creates a key and returns it with the secret in full: the only time the secret exists outside the
 * caller's hands. The row holds the prefix, a per-key salt and the salted hash.
 */
export async function createApiKey(
  db: Queryable,
  input: NewApiKey,
): Promise<{ key: string; apiKey: ApiKey }> {
  const { role, name } = validateNewKey(input);
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const salt = randomBytes(SALT_BYTES).toString('hex');
  const rows = (await db('api_keys')
    .insert({
      name,
      role,
      key_prefix: prefix,
      key_hash: hashSecret(salt, secret).toString('hex'),
      salt,
      hash_algorithm: HASH_ALGORITHM,
      created_by_key_id: input.createdByKeyId ?? null,
    })
    .returning(RETURNING)) as ApiKey[];
  return { key: `tmk_${prefix}_${secret}`, apiKey: rows[0]! };
}

/** Every key, newest first (revoked ones too, so an admin sees the history). */
export async function listApiKeys(db: Queryable | Database): Promise<ApiKey[]> {
  return (await toQueryable(db)('api_keys').select(COLUMNS).orderBy('id', 'desc')) as ApiKey[];
}

export async function getApiKey(db: Queryable | Database, id: number): Promise<ApiKey | null> {
  const row = (await toQueryable(db)('api_keys').select(COLUMNS).where({ id }).first()) as ApiKey | undefined;
  return row ?? null;
}

/** Revokes a key (idempotent: a second revoke keeps the first time). Unknown id → NOT_FOUND. */
export async function revokeApiKey(db: Queryable | Database, id: number): Promise<ApiKey> {
  if (!Number.isInteger(id) || id <= 0) {
    throw new TidemarkError('INVALID_INPUT', `invalid key id '${String(id)}': expected a positive integer`);
  }
  const rows = (await toQueryable(db)('api_keys')
    .where({ id })
    .update({ revoked_at: toQueryable(db).raw('coalesce(revoked_at, now())') })
    .returning(RETURNING)) as ApiKey[];
  const row = rows[0];
  if (!row) throw new TidemarkError('NOT_FOUND', `no API key with id ${id}`);
  return row;
}

/**
 * Checks a presented key: the prefix finds the row, then the salted hash of the secret is compared in
 * constant time. A match also refreshes `last_used_at` (at most once a minute, to keep reads cheap).
 */
export async function verifyApiKey(db: Queryable | Database, presented: string): Promise<ApiKeyCheck> {
  const m = KEY_PATTERN.exec(presented);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, prefix, secret] = m as unknown as [string, string, string];
  const q = toQueryable(db);
  const row = (await q('api_keys')
    .select({ ...COLUMNS, keyHash: 'key_hash', salt: 'salt', hashAlgorithm: 'hash_algorithm' })
    .where({ key_prefix: prefix })
    .first()) as (ApiKey & { keyHash: string; salt: string; hashAlgorithm: string }) | undefined;
  const expected =
    row && row.hashAlgorithm === HASH_ALGORITHM && /^[0-9a-f]{64}$/.test(row.keyHash)
      ? Buffer.from(row.keyHash, 'hex')
      : DUMMY_HASH;
  const actual = hashSecret(row?.salt ?? DUMMY_SALT, secret);
  const matches = timingSafeEqual(actual, expected) && row !== undefined && expected !== DUMMY_HASH;
  if (!matches || !row) return { ok: false, reason: 'unknown' };
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (row.expiresAt !== null && row.expiresAt.getTime() <= Date.now())
    return { ok: false, reason: 'expired' };
  // Skips the write when the row read says it was used within the minute (most requests, under load).
  const recent = row.lastUsedAt !== null && Date.now() - row.lastUsedAt.getTime() < 60_000;
  if (!recent) {
    await q.raw(
      `UPDATE api_keys SET last_used_at = now()
     WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
  }
  const { keyHash: _h, salt: _s, hashAlgorithm: _a, ...key } = row;
  return { ok: true, key };
}
