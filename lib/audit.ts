import { db, type Db } from '@/lib/db';
import { logger } from '@/lib/log';
import type { CurrentUser } from '@/lib/auth/roles';

export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_out'
  | 'auth.locked_out'
  | 'setup.first_admin'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'user.password_reset'
  | 'user.password_change'
  | 'store.create'
  | 'store.rename'
  | 'store.delete'
  | 'notifications.save'
  | 'notifications.test'
  | 'notifications.limits'
  | 'oauth.connect'
  | 'oauth.disconnect'
  | 'oauth.refresh'
  | 'apikey.create'
  | 'apikey.revoke'
  | 'relay.credential_create'
  | 'relay.credential_revoke'
  | 'relay.access_save'
  | 'relay.test'
  | 'keys.rotate'
  | 'keys.forget_missing'
  | 'backup.create'
  | 'backup.restore'
  | 'alert.fired'
  | 'alert.repeat'
  | 'alert.resolved'
  | 'alert.test'
  | 'alert.settings'
  | 'alert.channel_create'
  | 'alert.channel_delete'
  | 'oauth.keepalive'
  | 'outbox.retry'
  | 'outbox.cancel'
  | 'outbox.delete'
  | 'outbox.retry_failed'
  | 'outbox.view_body';

type AuditEntry = {
  actor?: Pick<CurrentUser, 'id' | 'email'> | null;
  /** for events without a signed-in actor (failed sign-in, CLI) */
  actorEmail?: string;
  action: AuditAction;
  target?: string;
  details?: Record<string, unknown>;
  ip?: string;
};

/** Keys that name a secret; their values are replaced before anything is stored. */
const SECRET_KEY = /(password|secret|token|privatekey|credential|passwordhash)$/i;

export function scrubDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(details).map(([k, v]) => {
      if (SECRET_KEY.test(k) && typeof v !== 'boolean') return [k, v == null ? v : 'changed'];
      if (v && typeof v === 'object' && !Array.isArray(v)) return [k, scrubDetails(v as Record<string, unknown>)];
      return [k, v];
    }),
  );
}

/** `client`: another database than the process's own (restore records into the one it restored). */
export async function recordAudit(entry: AuditEntry, client: Db = db): Promise<void> {
  const details = scrubDetails(entry.details ?? {});
  await client.auditEvent.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? entry.actorEmail ?? '',
      action: entry.action,
      target: entry.target ?? '',
      details: JSON.stringify(details),
      ip: entry.ip ?? '',
    },
  });
  logger.info({ audit: entry.action, actor: entry.actor?.email ?? entry.actorEmail, target: entry.target, details }, 'audit');
}
