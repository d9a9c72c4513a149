/**
 * Whether a store can take messages now, and whether its queue is held. A store that is not set up
 * refuses messages (the caller keeps them); a store whose OAuth connection needs reconnecting takes
 * them and holds its queue, so no attempt is burnt until an admin reconnects.
 */
import { db } from '@/lib/db';

export type Readiness =
  | { ok: true; storeName: string; from: { address: string; name?: string }; transport: 'smtp' | 'graph'; paused?: string }
  | { ok: false; reason: string };

const SELECT = {
  transport: true,
  host: true,
  fromAddress: true,
  fromName: true,
  useAuth: true,
  authType: true,
  smtpPasswordEnc: true,
  oauthStatus: true,
  store: { select: { name: true } },
} as const;

type Row = {
  transport: string;
  host: string;
  fromAddress: string;
  fromName: string;
  useAuth: boolean;
  authType: string;
  smtpPasswordEnc: string | null;
  oauthStatus: string;
  store: { name: string };
};

/** Why the store's queue is held, or undefined when it may send. */
export function pauseReason(p: Pick<Row, 'transport' | 'useAuth' | 'authType' | 'oauthStatus'>): string | undefined {
  const oauth = p.transport === 'graph' || (p.useAuth && p.authType === 'oauth2');
  if (!oauth) return undefined;
  if (p.oauthStatus === 'needs_reconnect')
    return 'The OAuth connection needs reconnecting: an admin must click Reconnect on the Notifications page.';
  if (p.oauthStatus === 'not_connected')
    return 'OAuth 2.0 is not connected yet: an admin must click Connect on the Notifications page.';
  return undefined;
}

export function readinessOf(p: Row | null): Readiness {
  if (!p) return { ok: false, reason: 'The identity store no longer exists.' };
  const graph = p.transport === 'graph';
  if (!graph && !p.host)
    return { ok: false, reason: 'The store is not set up: enter and save the SMTP server on its Notifications page.' };
  if (!p.fromAddress)
    return { ok: false, reason: 'The store is not set up: enter and save the From email address on its Notifications page.' };
  if (!graph && p.useAuth && p.authType === 'basic' && !p.smtpPasswordEnc) {
    return { ok: false, reason: 'The SMTP password is not set: enter it under Authentication on the Notifications page.' };
  }
  return {
    ok: true,
    storeName: p.store.name,
    from: { address: p.fromAddress, ...(p.fromName && { name: p.fromName }) },
    transport: graph ? 'graph' : 'smtp',
    ...(pauseReason(p) && { paused: pauseReason(p) }),
  };
}

export async function storeReadiness(storeId: string): Promise<Readiness> {
  return readinessOf(await db.notificationProfile.findUnique({ where: { storeId }, select: SELECT }));
}

/** The paused stores among `storeIds`, with the reason. */
export async function pausedStores(storeIds: string[]): Promise<Map<string, string>> {
  const rows = await db.notificationProfile.findMany({
    where: { storeId: { in: storeIds } },
    select: { storeId: true, transport: true, useAuth: true, authType: true, oauthStatus: true },
  });
  return new Map(
    rows.flatMap((r) => {
      const reason = pauseReason(r);
      return reason ? [[r.storeId, reason] as const] : [];
    }),
  );
}
