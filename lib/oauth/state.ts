import { createHash } from 'node:crypto';
import { openSecret, sealSecret } from '@/lib/crypto';
import { db } from '@/lib/db';

export const STATE_TTL_MS = 10 * 60 * 1000;
/** httpOnly cookie holding the pending state: binds the callback to the browser that started it. */
export const STATE_COOKIE = 'mailroom_oauth_state';

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

type PendingState = { userId: string; profileId: string; provider: string; redirectUri: string; allowAccountChange: boolean };

/** Stores a consent redirect's state server-side (hashed) with the encrypted PKCE verifier. */
export async function saveState(state: string, codeVerifier: string, p: PendingState): Promise<void> {
  const id = hash(state);
  await db.oAuthState.deleteMany({
    where: { OR: [{ expiresAt: { lt: new Date() } }, { userId: p.userId, profileId: p.profileId }] },
  });
  await db.oAuthState.create({
    data: {
      id,
      ...p,
      codeVerifierEnc: sealSecret(id, 'codeVerifier', codeVerifier),
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
    },
  });
}

type StateCheck =
  | { ok: true; state: PendingState & { codeVerifier: string } }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'foreign' };

/**
 * Single use: the row is deleted before anything is checked, so a replayed or failed callback
 * can never be redeemed again.
 */
export async function consumeState(state: string | null, userId: string): Promise<StateCheck> {
  if (!state) return { ok: false, reason: 'missing' };
  const id = hash(state);
  const row = await db.oAuthState.findUnique({ where: { id } });
  if (!row) return { ok: false, reason: 'unknown' };
  const deleted = await db.oAuthState.deleteMany({ where: { id } });
  if (deleted.count !== 1) return { ok: false, reason: 'unknown' };
  if (row.expiresAt.getTime() < Date.now()) return { ok: false, reason: 'expired' };
  if (row.userId !== userId) return { ok: false, reason: 'foreign' };
  return {
    ok: true,
    state: {
      userId: row.userId,
      profileId: row.profileId,
      provider: row.provider,
      redirectUri: row.redirectUri,
      allowAccountChange: row.allowAccountChange,
      codeVerifier: openSecret(id, 'codeVerifier', row.codeVerifierEnc),
    },
  };
}

export const STATE_ERRORS: Record<Exclude<StateCheck, { ok: true }>['reason'], string> = {
  missing: 'The sign-in answer carried no state. Start again with Connect.',
  unknown:
    'This sign-in answer is not one Mailroom is waiting for (it was used already, or started elsewhere). Start again with Connect.',
  expired: 'The sign-in took longer than 10 minutes. Start again with Connect.',
  foreign: 'This sign-in was started by another admin account. Start again with Connect while signed in as yourself.',
};
