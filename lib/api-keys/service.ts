/**
 * API keys: how other systems (the helpdesk, the directory manager) authenticate when they send
 * notifications through a store's saved profile. A key is 32 random bytes shown once; the
 * database keeps only its SHA-256 (a high-entropy key needs no slow KDF) and a short prefix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { db } from '@/lib/db';
import { NotFoundError, UserFacingError } from '@/lib/errors';

const KEY_PREFIX = 'mr_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;
/** Keys per store that are not revoked. */
const MAX_ACTIVE_KEYS = 20;

const hashOf = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** Creates a key for the store; the returned `key` is the only time it exists outside the caller. */
export async function createApiKey(
  storeId: string,
  name: string,
  actorEmail: string,
): Promise<{ id: string; name: string; prefix: string; key: string; storeName: string }> {
  const store = await db.identityStore.findUnique({ where: { id: storeId }, select: { name: true } });
  if (!store) throw new NotFoundError('This identity store no longer exists.');
  const active = await db.apiKey.count({ where: { storeId, revokedAt: null } });
  if (active >= MAX_ACTIVE_KEYS)
    throw new UserFacingError(
      `This store already has ${MAX_ACTIVE_KEYS} active keys. Revoke one that is no longer used first.`,
      'name',
    );
  if (await db.apiKey.findFirst({ where: { storeId, name, revokedAt: null }, select: { id: true } })) {
    throw new UserFacingError(`An active key named "${name}" already exists for this store.`, 'name');
  }
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, SHOWN_PREFIX_LENGTH);
  const row = await db.apiKey.create({
    data: { storeId, name, prefix, hash: hashOf(key), createdBy: actorEmail },
    select: { id: true },
  });
  return { id: row.id, name, prefix, key, storeName: store.name };
}

export async function revokeApiKey(storeId: string, id: string): Promise<{ name: string; prefix: string; storeName: string }> {
  const row = await db.apiKey.findFirst({
    where: { id, storeId },
    select: { name: true, prefix: true, revokedAt: true, store: { select: { name: true } } },
  });
  if (!row) throw new NotFoundError('This API key no longer exists.');
  if (!row.revokedAt) await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  return { name: row.name, prefix: row.prefix, storeName: row.store.name };
}

export type ApiCaller = { keyId: string; name: string; prefix: string; storeId: string };

/** "Last used" is written at most this often per key: a busy caller does not cost a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The active key behind an `Authorization: Bearer mr_…` value, or null; records when it was last used (to the minute). */
export async function authenticateApiKey(authorization: string | null): Promise<ApiCaller | null> {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!key?.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const row = await db.apiKey.findUnique({
    where: { hash: hashOf(key) },
    select: { id: true, name: true, prefix: true, storeId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS)
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { keyId: row.id, name: row.name, prefix: row.prefix, storeId: row.storeId };
}
