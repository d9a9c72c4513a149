import { PROFILE_SECRETS, type ProfileSecret } from '@/lib/notifications/secrets';

/**
 * Every encrypted column, so key rotation finds them all in one place.
 * A ciphertext's associated data is `<row id>|<field>` where field is the secret's name.
 */
type SecretColumnName = (typeof PROFILE_SECRETS)[ProfileSecret]['enc'] | 'refreshTokenEnc' | 'accessTokenEnc';

export type SecretColumn = { model: 'notificationProfile'; field: string; column: SecretColumnName; label: string };

export const SECRET_COLUMNS: SecretColumn[] = [
  ...Object.entries(PROFILE_SECRETS).map(([field, s]) => ({
    model: 'notificationProfile' as const,
    field,
    column: s.enc,
    label: s.label,
  })),
  // OAuth tokens (lib/oauth/connection.ts)
  { model: 'notificationProfile', field: 'refreshToken', column: 'refreshTokenEnc', label: 'OAuth refresh token' },
  { model: 'notificationProfile', field: 'accessToken', column: 'accessTokenEnc', label: 'OAuth access token' },
];

/** The alert channels' encrypted columns (lib/alerts): webhook URLs carry their own credentials. */
export const CHANNEL_SECRET_COLUMNS = [
  { field: 'url', column: 'urlEnc', label: 'Alert webhook URL' },
  { field: 'signingSecret', column: 'signingSecretEnc', label: 'Alert webhook signing secret' },
] as const;
