/**
 * What to do after a failed OAuth exchange, as DATA: the first entry whose `match` fits wins, so
 * entries go from specific (an AADSTS code) to general. The AADSTS rows: docs/providers.md#entra-id-errors.
 */
import type { OAuthError, OAuthProvider } from '@/lib/oauth/types';

type OAuthAdvice = { id: string; title: string; detail: string };

type OAuthAdviceMatch = {
  /** Any of these AADSTS codes ('AADSTS70008'). */
  aadsts?: string[];
  /** Any of these OAuthError codes. */
  code?: string[];
  retryable?: boolean;
  provider?: OAuthProvider[];
};

type OAuthAdviceEntry = OAuthAdvice & { match: OAuthAdviceMatch };

const RECONNECT = 'Use "Connect" on this profile again and sign in with the mailbox; the new refresh token replaces the old one.';

export const OAUTH_ADVICE: readonly OAuthAdviceEntry[] = [
  // Microsoft Entra ID (docs/providers.md#entra-id-errors)
  {
    id: 'redirect-uri-mismatch',
    match: { aadsts: ['AADSTS50011'] },
    title: 'The redirect URI is not registered for this app',
    detail:
      'In the app registration (Authentication → Web → Redirect URIs), paste the exact redirect URI shown by the console: same scheme, host, port and path, no query string, no trailing slash added or removed. Register it as a "Web" redirect URI, not "SPA".',
  },
  {
    id: 'app-not-found',
    match: { aadsts: ['AADSTS700016'] },
    title: 'The app was not found in this tenant',
    detail:
      'Check the Client ID (Application ID of the app registration) and the Tenant ID (Directory ID). A single-tenant app only exists in its own tenant; an app from another tenant needs admin consent in this one first.',
  },
  {
    id: 'secret-id-not-value',
    match: { aadsts: ['AADSTS7000215'] },
    title: 'Invalid client secret: the secret value is needed, not the secret ID',
    detail:
      'Under Certificates & secrets, the "Value" column is the secret; the "Secret ID" is not. The value is only shown right after creating the secret: if you no longer have it, create a new secret and paste its value here.',
  },
  {
    id: 'secret-expired',
    match: { aadsts: ['AADSTS7000222'] },
    title: 'The client secret has expired',
    detail:
      'Create a new client secret in the app registration (Certificates & secrets), paste its value here and save. Note its expiry date so you can renew it before it runs out again.',
  },
  {
    id: 'refresh-token-inactive',
    match: { aadsts: ['AADSTS700082'] },
    title: 'The refresh token expired because it was not used for 90 days',
    detail: `Microsoft ends a grant that has not been used for 90 days. Mailroom refreshes it whenever it sends, so this happens to a store that sent nothing for that long. ${RECONNECT}`,
  },
  {
    id: 'refresh-token-expired',
    match: { aadsts: ['AADSTS70008'] },
    title: 'The refresh token has expired or was already used',
    detail: `Microsoft refresh tokens expire after 90 days without use, and each one is replaced by the next refresh. ${RECONNECT}`,
  },
  {
    id: 'grant-revoked',
    match: { aadsts: ['AADSTS50173'] },
    title: 'The sign-in was revoked',
    detail: `The mailbox password was changed or reset, or an admin revoked its sessions, so the stored grant no longer works. ${RECONNECT}`,
  },
  {
    id: 'consent-declined',
    match: { aadsts: ['AADSTS65004'] },
    title: 'Consent was declined on the sign-in page',
    detail:
      'The person signing in chose Cancel (or "No") when asked to allow the permissions. Click Connect again and accept; if the page says an admin must approve the app, ask an Entra admin to grant admin consent under API permissions first.',
  },
  {
    id: 'consent-missing',
    match: { aadsts: ['AADSTS65001'] },
    title: 'Consent for this app is missing',
    detail:
      'The user or an admin has not consented to the requested permissions (SMTP.Send, or SMTP.SendAsApp for app-only). Grant admin consent under API permissions in the app registration, or connect again and consent as the user.',
  },
  {
    id: 'mfa-required',
    match: { aadsts: ['AADSTS50076', 'AADSTS50079'] },
    title: 'Multi-factor authentication is required',
    detail:
      'Username + password sign-in cannot do MFA. Switch this profile to the authorization code flow ("Connect" with a browser sign-in), or to app-only (client credentials).',
  },
  {
    id: 'conditional-access',
    match: { aadsts: ['AADSTS53003'] },
    title: 'Blocked by a Conditional Access policy',
    detail:
      'A Conditional Access policy in Entra ID blocked this sign-in. Ask an Entra admin to exclude this account or app from the policy (the sign-in logs name the policy), then try again.',
  },
  {
    id: 'single-tenant-common',
    match: { aadsts: ['AADSTS50194'] },
    title: 'A single-tenant app cannot use "common"',
    detail:
      'This app is registered for one organisation only. Enter its Tenant ID (Directory ID) instead of "common" or "organizations".',
  },
  {
    id: 'tenant-not-found',
    match: { aadsts: ['AADSTS90002', 'AADSTS90038'] },
    title: 'Tenant or cloud not found',
    detail:
      'Check the Tenant ID (a GUID or a verified domain) and the cloud: global tenants sign in at login.microsoftonline.com, US Government at login.microsoftonline.us, China (21Vianet) at login.partner.microsoftonline.cn.',
  },
  {
    id: 'wrong-password',
    match: { aadsts: ['AADSTS50126'] },
    title: 'Wrong username or password',
    detail:
      'Check the username (the full mailbox address) and the password. Federated, MFA-protected and personal accounts cannot use username + password: use the authorization code flow.',
  },
  {
    id: 'certificate-not-registered',
    match: { aadsts: ['AADSTS700027'] },
    title: 'The certificate is not registered for this app',
    detail:
      'Upload the certificate (public part) under Certificates & secrets in the app registration, and check that the thumbprint and private key entered here belong to it.',
  },

  // No refresh token (docs/security.md#refresh-token-required): the previous token stays.
  {
    id: 'no-refresh-token-microsoft',
    match: { code: ['no_refresh_token'], provider: ['microsoft'] },
    title: 'Microsoft returned no refresh token',
    detail:
      'Without the offline_access scope Microsoft issues no refresh token. Add offline_access to the scope and connect again; the previous connection was kept.',
  },
  {
    id: 'no-refresh-token-google',
    match: { code: ['no_refresh_token'], provider: ['google'] },
    title: 'Google returned no refresh token',
    detail:
      'Google only returns a refresh token with access_type=offline and prompt=consent, or on the first consent: remove the app\'s access at myaccount.google.com/permissions and connect again. Apps in "Testing" status get refresh tokens that stop working after 7 days: publish the app. The previous connection was kept.',
  },
  {
    id: 'no-refresh-token',
    match: { code: ['no_refresh_token'] },
    title: 'The provider returned no refresh token',
    detail:
      'Without a refresh token the connection would stop working when the access token expires. Microsoft: add offline_access to the scope. Google: connect with access_type=offline and prompt=consent; apps in "Testing" status get refresh tokens that last only 7 days. Other providers: add the scope that grants offline access (often offline_access). The previous connection was kept.',
  },

  {
    id: 'authorization-endpoint-unreachable',
    match: { code: ['authorization_unreachable'] },
    title: "The provider's sign-in page cannot be reached",
    detail:
      "Mailroom could not connect to the authorization endpoint, so the browser was not sent there. Check the endpoint (for Microsoft: the tenant and the cloud), this server's DNS and outbound HTTPS access, and the provider's status page, then click Connect again.",
  },

  // Transient (docs/security.md#token-endpoint-outage)
  {
    id: 'token-endpoint-unavailable',
    match: { retryable: true },
    title: 'The token endpoint is unreachable or failing',
    detail:
      "The token endpoint is unreachable or failing; the stored refresh token was kept; try again in a few minutes. If it persists (network error, timeout or a 5xx answer), check the provider's status page and this server's outbound HTTPS access.",
  },
  {
    id: 'tls-untrusted',
    match: { code: ['tls'] },
    title: "The token endpoint's certificate is not trusted",
    detail:
      'The HTTPS certificate of the token endpoint could not be verified, so nothing was sent. Check the endpoint URL; a TLS-inspecting proxy needs its CA added to this server (NODE_EXTRA_CA_CERTS).',
  },

  // Standard OAuth 2.0 errors (RFC 6749 4.1.2.1 and 5.2)
  {
    id: 'access-denied',
    match: { code: ['access_denied'] },
    title: 'Sign-in or consent was cancelled or denied',
    detail:
      'The sign-in was cancelled, or consent was denied, at the provider. Connect again and accept the requested permissions; if an admin must approve the app, ask them to grant admin consent first.',
  },
  {
    id: 'invalid-client',
    match: { code: ['invalid_client'] },
    title: 'The provider did not accept the client credentials',
    detail:
      'Check the Client ID and the client secret (the secret value, not its ID) or certificate, and that the secret has not expired.',
  },
  {
    id: 'invalid-grant',
    match: { code: ['invalid_grant'] },
    title: 'The authorization has expired or was revoked',
    detail: `The authorization code or refresh token is invalid, expired, revoked or was already used. ${RECONNECT}`,
  },
  {
    id: 'unauthorized-client',
    match: { code: ['unauthorized_client'] },
    title: 'This app may not use this sign-in method',
    detail:
      'The provider does not allow this app to use this grant type. Check the app registration: the platform must be "Web" (a confidential client with a secret), and app-only access needs the client credentials grant enabled.',
  },
  {
    id: 'invalid-scope',
    match: { code: ['invalid_scope'] },
    title: 'The scope was not accepted',
    detail:
      'Check the scope. Microsoft delegated: https://outlook.office.com/SMTP.Send offline_access; Microsoft app-only: https://outlook.office365.com/.default; Google: https://mail.google.com/.',
  },
  {
    id: 'unsupported-grant-type',
    match: { code: ['unsupported_grant_type'] },
    title: 'This provider does not support this sign-in method',
    detail:
      'The provider does not offer this grant. Google has no client-credentials grant for a client secret: use "Connect" (authorization code) instead.',
  },
  {
    id: 'redirect-uri-mismatch-oauth',
    match: { code: ['redirect_uri_mismatch'] },
    title: 'The redirect URI is not registered for this app',
    detail:
      "In the provider's app settings, paste the exact redirect URI shown by the console: same scheme, host, port and path, no query string.",
  },
  {
    id: 'invalid-configuration',
    match: { code: ['invalid_configuration'] },
    title: 'The OAuth settings are incomplete or invalid',
    detail:
      'Check the authorization and token endpoints (https URLs of the provider), the tenant, the client ID and the credential.',
  },

  {
    id: 'oauth-error',
    match: {},
    title: 'The provider refused the request',
    detail:
      'The provider answered with an error (shown above). Check the client ID, credential, tenant and scope, then try again.',
  },
];

function fits(m: OAuthAdviceMatch, err: OAuthError, provider: OAuthProvider | undefined): boolean {
  if (m.aadsts && !(err.aadsts && m.aadsts.includes(err.aadsts))) return false;
  if (m.code && !m.code.includes(err.code)) return false;
  if (m.retryable !== undefined && m.retryable !== err.retryable) return false;
  if (m.provider && !(provider && m.provider.includes(provider))) return false;
  return true;
}

/** The advice for an OAuth failure; `provider` tailors advice that differs between providers. */
export function adviseOAuth(err: OAuthError, provider?: OAuthProvider): OAuthAdvice {
  const entry = OAUTH_ADVICE.find((e) => fits(e.match, err, provider)) ?? OAUTH_ADVICE[OAUTH_ADVICE.length - 1];
  return { id: entry.id, title: entry.title, detail: entry.detail };
}
