'use server';

import { revalidatePath } from 'next/cache';
import { action } from '@/lib/action';
import { recordAudit } from '@/lib/audit';
import { createRelayCredential, revokeRelayCredential, saveRelayAccess } from '@/lib/relay/credentials';
import { testThroughRelay, type RelayTestResult } from '@/lib/relay/self-test';
import { getStore } from '@/lib/stores/queries';
import { NotFoundError } from '@/lib/errors';
import {
  createRelayCredentialSchema,
  relayAccessSchema,
  relayTestSchema,
  revokeRelayCredentialSchema,
  sourceEntries,
} from '@/lib/validation/relay';

const page = (storeId: string) => `/stores/${storeId}/relay`;

/** The password is in this one response and nowhere else: the page shows it once. */
export const addRelayCredential = action<typeof createRelayCredentialSchema, { username: string; password: string }>(
  'admin',
  createRelayCredentialSchema,
  async ({ storeId, username, sources: typed, fromPolicy }, { user, ip }) => {
    const sources = sourceEntries(typed);
    const created = await createRelayCredential(storeId, { username, sources, fromPolicy }, user.email);
    await recordAudit({
      actor: user,
      action: 'relay.credential_create',
      target: created.storeName,
      details: { username: created.username, sources, fromPolicy },
      ip,
    });
    revalidatePath(page(storeId));
    return {
      ok: true,
      message: `Created the relay credential “${created.username}”.`,
      data: { username: created.username, password: created.password },
    };
  },
);

export const removeRelayCredential = action('admin', revokeRelayCredentialSchema, async ({ storeId, id }, { user, ip }) => {
  const revoked = await revokeRelayCredential(storeId, id);
  await recordAudit({
    actor: user,
    action: 'relay.credential_revoke',
    target: revoked.storeName,
    details: { username: revoked.username },
    ip,
  });
  revalidatePath(page(storeId));
  return { ok: true, message: `Revoked “${revoked.username}”: logins with it are refused (535) from now on.` };
});

export const saveOpenRelay = action(
  'admin',
  relayAccessSchema,
  async ({ storeId, openSources: typed, fromPolicy }, { user, ip }) => {
    const openSources = sourceEntries(typed);
    const saved = await saveRelayAccess(storeId, { openSources, fromPolicy }, user.email);
    await recordAudit({
      actor: user,
      action: 'relay.access_save',
      target: saved.storeName,
      details: { openSources, fromPolicy },
      ip,
    });
    revalidatePath(page(storeId));
    return {
      ok: true,
      message: openSources.length
        ? `Saved: ${openSources.join(', ')} may send without logging in.`
        : 'Saved: every client must log in with a relay credential.',
    };
  },
);

export const sendRelayTest = action<typeof relayTestSchema, RelayTestResult>(
  'admin',
  relayTestSchema,
  async ({ storeId, to }, { user, ip }) => {
    const store = await getStore(storeId);
    if (!store) throw new NotFoundError('This identity store no longer exists.');
    const result = await testThroughRelay(storeId, to, user.email);
    await recordAudit({
      actor: user,
      action: 'relay.test',
      target: store.name,
      details: { to, ok: result.ok, ...(result.outboxId && { outboxId: result.outboxId }) },
      ip,
    });
    revalidatePath(`/stores/${storeId}/delivery-log`);
    return {
      ok: true,
      message: result.ok ? `Delivered to ${to} through the relay.` : 'The test did not get through; see the steps.',
      data: result,
    };
  },
);
