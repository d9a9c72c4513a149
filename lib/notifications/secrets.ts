import type { ProfileColumns } from '@/lib/notifications/mapping';

/**
 * The write-only secrets of a profile, each bound to the destination it was entered for
 * (docs/security.md#secrets-bound-to-destination): if any binding column changes, the stored value is cleared.
 * The security mode is not one: moving to TLS must not lose the password, and "None" is guarded
 * by consent instead (lib/mail/credential-consent.ts, weakenedBy below).
 */
export const PROFILE_SECRETS = {
  smtpPassword: {
    label: 'SMTP password',
    enc: 'smtpPasswordEnc',
    setAt: 'smtpPasswordSetAt',
    boundTo: ['host', 'port', 'smtpUsername', 'authType'],
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

/** Where each secret's keep / set / clear lives in the form. */
export const SECRET_FORM_PATHS = {
  smtpPassword: 'auth.smtpPassword',
  clientSecret: 'auth.oauth.clientSecret',
  certificateKey: 'auth.oauth.certificateKey',
  oauthPassword: 'auth.oauth.password',
} as const satisfies Record<ProfileSecret, string>;

/** The settings an OAuth token was issued for, or is sent to: any change resets the connection. */
export const TOKENS_BOUND_TO = [
  'transport',
  'host',
  'port',
  'graphEndpoint',
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
] as const satisfies readonly (keyof ProfileColumns)[];

/** Secrets the token grant was made with: replacing or clearing one resets the connection too. */
export const OAUTH_CREDENTIALS = ['clientSecret', 'certificateKey', 'oauthPassword'] as const satisfies readonly ProfileSecret[];

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
  graphEndpoint: 'Graph endpoint',
};

const labels = (columns: readonly (keyof ProfileColumns)[]) => columns.map((c) => COLUMN_LABELS[c] ?? c);

/** Labels of the columns binding `secret` that this save changes: non-empty means the stored value is cleared. */
export function movedBindings(secret: ProfileSecret, changed: readonly string[]): string[] {
  return labels(PROFILE_SECRETS[secret].boundTo.filter((c) => changed.includes(c)));
}

/** Labels of the columns the OAuth tokens are bound to that this save changes: non-empty means the connection resets. */
export function movedTokenBindings(changed: readonly string[]): string[] {
  return labels(TOKENS_BOUND_TO.filter((c) => changed.includes(c)));
}

type Protection = { securityMode: string; allowSelfSigned: boolean };

/**
 * What this save turns off that a stored credential was entered under: such a credential is not sent
 * until entered again (docs/security.md#no-credentials-in-clear-text). Undefined when nothing is weakened.
 */
export function weakenedBy(before: Protection, after: Protection): string | undefined {
  const what = [
    after.securityMode === 'none' && before.securityMode !== 'none' && 'security is set to "None"',
    after.allowSelfSigned && !before.allowSelfSigned && '"Allow self-signed certificate" is ticked',
  ].filter((w): w is string => typeof w === 'string');
  return what.length ? what.join(' and ') : undefined;
}

export type SecretStatus = { set: boolean; setAt: string | null };

/** Where each binding column lives in the form, so the page can warn before saving. */
export const COLUMN_FORM_PATHS = {
  transport: 'transport.kind',
  graphEndpoint: 'transport.graphEndpoint',
  host: 'smtp.host',
  port: 'smtp.port',
  smtpUsername: 'auth.smtpUsername',
  authType: 'auth.authType',
  oauthProvider: 'auth.oauth.provider',
  oauthCloud: 'auth.oauth.cloud',
  tenantId: 'auth.oauth.tenantId',
  clientId: 'auth.oauth.clientId',
  tokenEndpoint: 'auth.oauth.tokenEndpoint',
  oauthUsername: 'auth.oauth.username',
  credentialType: 'auth.oauth.credentialType',
  authorizationEndpoint: 'auth.oauth.authorizationEndpoint',
  oauthIssuer: 'auth.oauth.issuer',
  scope: 'auth.oauth.scope',
  grantType: 'auth.oauth.grantType',
} as const satisfies Record<
  (typeof PROFILE_SECRETS)[ProfileSecret]['boundTo'][number] | (typeof TOKENS_BOUND_TO)[number],
  string
>;
