import type { ProfileColumns } from '@/lib/notifications/mapping';

/**
 * The write-only secrets of a profile, each bound to the destination it was entered for
 * (docs/security.md#secrets-bound-to-destination): if any binding column changes, the stored value is cleared.
 */
export const PROFILE_SECRETS = {
  smtpPassword: {
    label: 'SMTP password',
    enc: 'smtpPasswordEnc',
    setAt: 'smtpPasswordSetAt',
    boundTo: ['host', 'port', 'securityMode', 'smtpUsername', 'authType'],
  },
  clientSecret: {
    label: 'client secret',
    enc: 'clientSecretEnc',
    setAt: 'clientSecretSetAt',
    boundTo: ['authType', 'oauthProvider', 'oauthCloud', 'tenantId', 'clientId', 'tokenEndpoint'],
  },
  certificateKey: {
    label: 'certificate private key',
    enc: 'certificateKeyEnc',
    setAt: 'certificateKeySetAt',
    boundTo: ['authType', 'oauthProvider', 'oauthCloud', 'tenantId', 'clientId', 'tokenEndpoint'],
  },
  oauthPassword: {
    label: 'OAuth password',
    enc: 'oauthPasswordEnc',
    setAt: 'oauthPasswordSetAt',
    boundTo: ['authType', 'oauthProvider', 'oauthCloud', 'tenantId', 'clientId', 'tokenEndpoint', 'oauthUsername'],
  },
} as const satisfies Record<string, { label: string; enc: string; setAt: string; boundTo: readonly (keyof ProfileColumns)[] }>;

export type ProfileSecret = keyof typeof PROFILE_SECRETS;
export const PROFILE_SECRET_NAMES = Object.keys(PROFILE_SECRETS) as ProfileSecret[];

/** Human names of columns, for "cleared because the … changed" notices and the activity log. */
export const COLUMN_LABELS: Partial<Record<keyof ProfileColumns, string>> = {
  host: 'SMTP server',
  port: 'port',
  securityMode: 'security mode',
  smtpUsername: 'SMTP username',
  authType: 'authentication type',
  oauthProvider: 'provider',
  oauthCloud: 'cloud',
  tenantId: 'tenant ID',
  clientId: 'client ID',
  tokenEndpoint: 'token endpoint',
  oauthUsername: 'username',
  credentialType: 'client credential type',
  authorizationEndpoint: 'authorization endpoint',
  oauthIssuer: 'issuer',
  scope: 'scope',
  grantType: 'grant type',
  transport: 'transport',
};

export type SecretStatus = { set: boolean; setAt: string | null };

/** Where each binding column lives in the form, so the page can warn before saving. */
export const COLUMN_FORM_PATHS = {
  host: 'smtp.host',
  port: 'smtp.port',
  securityMode: 'smtp.securityMode',
  smtpUsername: 'auth.smtpUsername',
  authType: 'auth.authType',
  oauthProvider: 'auth.oauth.provider',
  oauthCloud: 'auth.oauth.cloud',
  tenantId: 'auth.oauth.tenantId',
  clientId: 'auth.oauth.clientId',
  tokenEndpoint: 'auth.oauth.tokenEndpoint',
  oauthUsername: 'auth.oauth.username',
} as const satisfies Record<(typeof PROFILE_SECRETS)[ProfileSecret]['boundTo'][number], string>;
