import { sealSecret } from '@/lib/crypto';
import { db, selectOf } from '@/lib/db';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { ConflictError, NotFoundError } from '@/lib/errors';
import type { NotificationsValues } from '@/lib/validation/notifications';
import type { SecretChange } from '@/lib/validation/primitives';
import { changedColumns, PROFILE_COLUMNS, toColumns, type ProfileColumns } from '@/lib/notifications/mapping';
import { CLEARED_TOKENS } from '@/lib/oauth/cleared';
import { COLUMN_LABELS, PROFILE_SECRET_NAMES, PROFILE_SECRETS, type ProfileSecret } from '@/lib/notifications/secrets';

/** Settings an OAuth token was issued for. */
const TOKENS_BOUND_TO: (keyof ProfileColumns)[] = [
  'transport',
  'authType',
  'oauthProvider',
  'oauthCloud',
  'tenantId',
  'clientId',
  'credentialType',
  'authorizationEndpoint',
  'tokenEndpoint',
  'oauthIssuer',
  'scope',
  'grantType',
  'oauthUsername',
];

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

    const data: Prisma.NotificationProfileUpdateManyMutationInput = { ...after };
    const secrets: SaveOutcome['secrets'] = {};
    const notices: string[] = [];
    const now = new Date();
    for (const name of PROFILE_SECRET_NAMES) {
      const def = PROFILE_SECRETS[name];
      const change = changeOf(values, name);
      const stored = row[def.enc] != null;
      const movedBy = def.boundTo.filter((c) => changed.includes(c));
      if (change.mode === 'set') {
        data[def.enc] = sealSecret(row.id, name, change.value);
        data[def.setAt] = now;
        secrets[name] = 'replaced';
      } else if (stored && (change.mode === 'clear' || movedBy.length > 0)) {
        data[def.enc] = null;
        data[def.setAt] = null;
        secrets[name] = change.mode === 'clear' ? 'cleared' : 'cleared_destination_changed';
        if (change.mode !== 'clear') {
          const what = movedBy.map((c) => COLUMN_LABELS[c] ?? c).join(', ');
          notices.push(
            `The saved ${def.label} was cleared because the ${what} changed. Enter it again to use it with the new settings.`,
          );
        }
      }
    }

    // Tokens were issued for these settings; any change makes them someone else's (docs/security.md#secrets-bound-to-destination).
    const tokenMovedBy = TOKENS_BOUND_TO.filter((c) => changed.includes(c));
    const credentialChanged = (['clientSecret', 'certificateKey', 'oauthPassword'] as const).some((n) => secrets[n]);
    if (row.oauthStatus !== 'not_connected' && (tokenMovedBy.length || credentialChanged)) {
      Object.assign(data, CLEARED_TOKENS, {
        oauthStatus: 'needs_reconnect',
        oauthError: 'The OAuth settings changed after connecting.',
      });
      const what = [...tokenMovedBy.map((c) => COLUMN_LABELS[c] ?? c), ...(credentialChanged ? ['client credential'] : [])].join(
        ', ',
      );
      notices.push(`The OAuth connection was reset because the ${what} changed. Click Reconnect to sign in again.`);
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
