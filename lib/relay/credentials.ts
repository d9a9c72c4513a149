/**
 * Who may send through the relay: per-store credentials (a generated password shown once, only its
 * SHA-256 kept, optionally limited to source addresses) and a store's unauthenticated relay from
 * listed addresses. Writes for the relay tab; lookups for the listener.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BlockList } from 'node:net';
import { db } from '@/lib/db';
import { ConflictError, NotFoundError, UserFacingError } from '@/lib/errors';
import { addIpEntry, listHas } from '@/lib/net/ip';
import type { FromPolicy } from '@/lib/validation/relay';

/** Credentials per store that are not revoked. */
const MAX_ACTIVE = 50;

const hashOf = (password: string) => createHash('sha256').update(password, 'utf8').digest('hex');

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const parseList = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export const sourcesOf = parseList;

function toList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const e of entries) addIpEntry(list, e);
  return list;
}

/** Whether `ip` is one of `entries` (IPs and CIDRs); an empty list allows every address. */
export function sourceAllowed(entries: readonly string[], ip: string): boolean {
  return entries.length === 0 || listHas(toList(entries), ip);
}

async function storeName(storeId: string): Promise<string> {
  const store = await db.identityStore.findUnique({ where: { id: storeId }, select: { name: true } });
  if (!store) throw new NotFoundError('This identity store no longer exists.');
  return store.name;
}

export type CreatedCredential = { id: string; username: string; password: string; storeName: string };

/** Creates a credential; the returned `password` is the only time it exists outside the caller. */
export async function createRelayCredential(
  storeId: string,
  input: { username: string; sources: string[]; fromPolicy: FromPolicy },
  actorEmail: string,
): Promise<CreatedCredential> {
  const name = await storeName(storeId);
  if ((await db.relayCredential.count({ where: { storeId, revokedAt: null } })) >= MAX_ACTIVE)
    throw new UserFacingError(`This store already has ${MAX_ACTIVE} active relay credentials. Revoke one first.`, 'username');
  const username = input.username || `relay-${randomBytes(4).toString('hex')}`;
  if (await db.relayCredential.findUnique({ where: { username }, select: { id: true } }))
    throw new ConflictError(
      `The username “${username}” is taken (usernames are unique across stores, revoked ones included). Choose another.`,
      'username',
    );
  // 20 random bytes: 27 characters, short enough for the password fields of printers and scanners;
  // never starting with "-", which command-line clients would read as an option.
  let password: string;
  do password = randomBytes(20).toString('base64url');
  while (!/^[A-Za-z0-9]/.test(password));
  const row = await db.relayCredential.create({
    data: {
      storeId,
      username,
      passwordHash: hashOf(password),
      sources: JSON.stringify(input.sources),
      fromPolicy: input.fromPolicy,
      createdBy: actorEmail,
    },
    select: { id: true },
  });
  return { id: row.id, username, password, storeName: name };
}

export async function revokeRelayCredential(storeId: string, id: string): Promise<{ username: string; storeName: string }> {
  const row = await db.relayCredential.findFirst({
    where: { id, storeId },
    select: { username: true, revokedAt: true, store: { select: { name: true } } },
  });
  if (!row) throw new NotFoundError('This relay credential no longer exists.');
  if (!row.revokedAt) await db.relayCredential.update({ where: { id }, data: { revokedAt: new Date() } });
  return { username: row.username, storeName: row.store.name };
}

/** Saves a store's unauthenticated relay; an address may open the relay for one store only. */
export async function saveRelayAccess(
  storeId: string,
  input: { openSources: string[]; fromPolicy: FromPolicy },
  actorEmail: string,
): Promise<{ storeName: string }> {
  const name = await storeName(storeId);
  const others = await db.relayAccess.findMany({
    where: { storeId: { not: storeId } },
    select: { openSources: true, store: { select: { name: true } } },
  });
  for (const other of others) {
    const theirs = parseList(other.openSources);
    const clash = input.openSources.find((mine) => theirs.some((t) => overlaps(mine, t)));
    if (clash)
      throw new UserFacingError(
        `${clash} overlaps an address the store “${other.store.name}” already allows: unauthenticated mail from one address can go to one store only.`,
        'openSources',
      );
  }
  const data = { openSources: JSON.stringify(input.openSources), fromPolicy: input.fromPolicy, updatedBy: actorEmail };
  await db.relayAccess.upsert({ where: { storeId }, create: { storeId, ...data }, update: data });
  return { storeName: name };
}

/** Two IP/CIDR entries share an address when one contains the other's first address. */
function overlaps(a: string, b: string): boolean {
  const base = (e: string) => e.split('/')[0];
  return listHas(toList([a]), base(b)) || listHas(toList([b]), base(a));
}

export type RelaySender = {
  storeId: string;
  /** "relay user “printer”", or the unauthenticated relay */
  source: string;
  credentialId?: string;
  fromPolicy: FromPolicy;
};

const policyOf = (v: string): FromPolicy => (v === 'rewrite' ? 'rewrite' : 'refuse');

export type AuthOutcome =
  { ok: true; sender: RelaySender } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'source'; username: string };

/** Checks a username and password from `ip`; records the use when it is accepted. */
export async function authenticateRelay(username: string, password: string, ip: string): Promise<AuthOutcome> {
  const row =
    username.length <= 64
      ? await db.relayCredential.findUnique({
          where: { username },
          select: { id: true, storeId: true, passwordHash: true, sources: true, fromPolicy: true, revokedAt: true },
        })
      : null;
  // Hash even when the user is unknown, so the answer takes as long either way.
  const hash = hashOf(password);
  if (!row || row.revokedAt || !sameHash(hash, row.passwordHash)) return { ok: false, reason: 'invalid' };
  if (!sourceAllowed(parseList(row.sources), ip)) return { ok: false, reason: 'source', username };
  await db.relayCredential.update({ where: { id: row.id }, data: { lastUsedAt: new Date(), lastUsedFrom: ip } });
  return {
    ok: true,
    sender: {
      storeId: row.storeId,
      source: `relay user “${username}”`,
      credentialId: row.id,
      fromPolicy: policyOf(row.fromPolicy),
    },
  };
}

/** The store whose unauthenticated relay lists `ip`, or null. */
export async function openRelayFor(ip: string): Promise<RelaySender | null> {
  const rows = await db.relayAccess.findMany({
    where: { openSources: { not: '[]' } },
    select: { storeId: true, openSources: true, fromPolicy: true },
  });
  const match = rows.find((r) => {
    const entries = parseList(r.openSources);
    return entries.length > 0 && sourceAllowed(entries, ip);
  });
  return match
    ? { storeId: match.storeId, source: `unauthenticated relay from ${ip}`, fromPolicy: policyOf(match.fromPolicy) }
    : null;
}
