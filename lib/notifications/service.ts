import { sealSecret } from '@/lib/crypto';
import { db, selectOf } from '@/lib/db';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { ConflictError, NotFoundError } from '@/lib/errors';
import type { NotificationsValues } from '@/lib/validation/notifications';
import type { SecretChange } from '@/lib/validation/primitives';
import { changedColumns, PROFILE_COLUMNS, toColumns, type ProfileColumns } from '@/lib/notifications/mapping';
import { CLEARED_TOKENS } from '@/lib/oauth/cleared';
import {
  movedBindings,
  movedTokenBindings,
  OAUTH_CREDENTIALS,
  PROFILE_SECRET_NAMES,
  PROFILE_SECRETS,
  weakenedBy,
  type ProfileSecret,
} from '@/lib/notifications/secrets';

type SecretOutcome = 'replaced' | 'cleared' | 'cleared_destination_changed';

type SaveOutcome = {
  changed: (keyof ProfileColumns)[];
  secrets: Partial<Record<ProfileSecret, SecretOutcome>>;
  notices: string[];
  version: number;
};

const secretSelect = selectOf(PROFILE_SECRET_NAMES.map((s) => PROFILE_SECRETS[s].enc));

function changeOf(values: NotificationsValues, secret: ProfileSecret): SecretChange {
  if (secret === 'smtpPassword') return values.auth.smtpPassword;
  if (secret === 'oauthPassword') return values.auth.oauth.password;
  return values.auth.oauth[secret];
}

/**
 * Saves the Notifications page in one transaction. A stale form (version mismatch) is refused;
 * a secret whose destination changed is cleared unless a new one is entered in the same save.
 */
export async function saveNotificationSettings(
  storeId: string,
  values: NotificationsValues,
  actorEmail: string,
): Promise<SaveOutcome> {
  return db.$transaction(async (tx) => {
    const row = await tx.notificationProfile.findUnique({
      where: { storeId },
      select: {
        id: true,
        version: true,
        oauthStatus: true,
        plainTextSince: true,
        selfSignedSince: true,
        ...selectOf(PROFILE_COLUMNS),
        ...secretSelect,
      },
    });
    if (!row) throw new NotFoundError('This identity store no longer exists.');
    if (row.version !== values.version) {
      throw new ConflictError(
        'Someone else saved these settings after you opened the page. Reload to see their changes, then apply yours again.',
      );
    }
    const after = toColumns(values);
    const changed = changedColumns(row, after);

    const now = new Date();
    const data: Prisma.NotificationProfileUpdateManyMutationInput = {
      ...after,
      // When the protection a credential was entered under was turned off (docs/security.md#no-credentials-in-clear-text).
      plainTextSince: after.securityMode === 'none' ? (row.securityMode === 'none' ? row.plainTextSince : now) : null,
      selfSignedSince: after.allowSelfSigned ? (row.allowSelfSigned ? row.selfSignedSince : now) : null,
    };
    const secrets: SaveOutcome['secrets'] = {};
    const notices: string[] = [];
    for (const name of PROFILE_SECRET_NAMES) {
      const def = PROFILE_SECRETS[name];
      const change = changeOf(values, name);
      const stored = row[def.enc] != null;
      const movedBy = movedBindings(name, changed);
      if (change.mode === 'set') {
        data[def.enc] = sealSecret(row.id, name, change.value);
        data[def.setAt] = now;
        secrets[name] = 'replaced';
      } else if (stored && (change.mode === 'clear' || movedBy.length > 0)) {
        data[def.enc] = null;
        data[def.setAt] = null;
        secrets[name] = change.mode === 'clear' ? 'cleared' : 'cleared_destination_changed';
        if (change.mode !== 'clear') {
          notices.push(
            `The saved ${def.label} was cleared because the ${movedBy.join(', ')} changed. Enter it again to use it with the new settings.`,
          );
        }
      }
    }

    // Tokens were issued for these settings; any change makes them someone else's (docs/security.md#secrets-bound-to-destination).
    const tokenMovedBy = movedTokenBindings(changed);
    const credentialChanged = OAUTH_CREDENTIALS.some((n) => secrets[n]);
    const connected = row.oauthStatus !== 'not_connected';
    const reset = connected && (tokenMovedBy.length > 0 || credentialChanged);
    if (reset) {
      Object.assign(data, CLEARED_TOKENS, {
        oauthStatus: 'needs_reconnect',
        oauthError: 'The OAuth settings changed after connecting.',
      });
      const what = [...tokenMovedBy, ...(credentialChanged ? ['client credential'] : [])].join(', ');
      notices.push(`The OAuth connection was reset because the ${what} changed. Click Reconnect to sign in again.`);
    }

    // A credential entered under protection that this save turns off is kept, but not sent until entered again.
    const weakened = after.transport === 'smtp' && after.useAuth ? weakenedBy(row, after) : undefined;
    if (weakened && after.authType === 'basic' && row.smtpPasswordEnc != null && !secrets.smtpPassword) {
      notices.push(`The saved SMTP password will not be sent now that ${weakened}: enter it again to send it anyway.`);
    }
    if (weakened && after.authType === 'oauth2' && connected && !reset) {
      notices.push(`The OAuth connection will not be used now that ${weakened}: click Reconnect to use it anyway.`);
    }

    const updated = await tx.notificationProfile.updateMany({
      where: { id: row.id, version: row.version },
      data: { ...data, version: { increment: 1 }, updatedBy: actorEmail },
    });
    if (updated.count !== 1)
      throw new ConflictError('Someone else saved these settings at the same moment. Reload and try again.');
    return { changed, secrets, notices, version: row.version + 1 };
  });
}
