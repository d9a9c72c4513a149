import { openSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { NotFoundError, NotReadyError } from '@/lib/errors';
import { consentFrom } from '@/lib/mail/credential-consent';
import { SendError, type GraphSettings, type SecurityMode, type SmtpAuth, type SmtpTarget } from '@/lib/mail/types';
import { SECURITY_MODE_LABELS } from '@/lib/notifications/providers';

/** A saved profile ready to send through: secrets decrypted, for server-side use only. */
export type SendProfile = {
  profileId: string;
  storeName: string;
  transport: 'smtp' | 'graph';
  target: SmtpTarget;
  auth: SmtpAuth;
  graph?: GraphSettings;
  from: { address: string; name?: string };
  /** Human summary for the test email body and the dialog ("OAuth 2.0 (Microsoft) as …"). */
  authLabel: string;
  securityLabel: string;
};

const AUTH_SELECT = {
  id: true,
  host: true,
  port: true,
  securityMode: true,
  allowSelfSigned: true,
  ehloName: true,
  fromAddress: true,
  fromName: true,
  connectTimeoutSeconds: true,
  greetingTimeoutSeconds: true,
  socketTimeoutSeconds: true,
  plainTextSince: true,
  selfSignedSince: true,
  useAuth: true,
  authType: true,
  smtpUsername: true,
  smtpPasswordEnc: true,
  smtpPasswordSetAt: true,
  oauthConnectedAt: true,
  oauthProvider: true,
  grantType: true,
  oauthLoginUser: true,
  transport: true,
  graphEndpoint: true,
  graphSender: true,
  store: { select: { name: true } },
} as const;

export const LOGIN_USER_FIELD = 'auth.oauth.loginUser';
const LOGIN_USER_MISSING =
  'The SMTP login user is empty, so the server would not know which mailbox signs in. Enter the mailbox address under SMTP login user, save, and send again.';

export type OAuthTokenSource = (profileId: string) => Promise<string>;

/**
 * Loads what Test Server needs. OAuth access tokens come from `tokenSource` (the OAuth module);
 * without one, an OAuth profile reports "not connected" at the token step.
 */
export async function loadSendProfile(storeId: string, tokenSource?: OAuthTokenSource): Promise<SendProfile> {
  const p = await db.notificationProfile.findUnique({ where: { storeId }, select: AUTH_SELECT });
  if (!p) throw new NotFoundError('This identity store no longer exists.');
  const graph = p.transport === 'graph';
  if (!graph && !p.host) throw new NotReadyError('Enter and save the SMTP server first.');
  if (!p.fromAddress) throw new NotReadyError('Enter and save the From email address first.');
  const mode = p.securityMode as SecurityMode;
  // Whether the credential was entered after security "None" / "allow self-signed" was chosen (docs/security.md#no-credentials-in-clear-text).
  const consent = (credentialSetAt: Date | null) => consentFrom({ ...p, credentialSetAt });

  let auth: SmtpAuth = { type: 'none' };
  let authLabel = 'none (unauthenticated relay)';
  if (p.useAuth && p.authType === 'basic') {
    if (!p.smtpPasswordEnc)
      throw new NotReadyError('The SMTP password is not set. Enter it under Authentication, save, and test again.');
    auth = {
      type: 'basic',
      user: p.smtpUsername,
      pass: openSecret(p.id, 'smtpPassword', p.smtpPasswordEnc),
      consent: consent(p.smtpPasswordSetAt),
    };
    authLabel = `Basic as ${p.smtpUsername}`;
  } else if (p.useAuth && p.authType === 'oauth2') {
    const user = p.oauthLoginUser;
    // Once connected (before, the token step says so): XOAUTH2 with an empty user is refused by every server with a 535 that looks like a bad token.
    if (!graph && !user && p.oauthConnectedAt) throw new NotReadyError(LOGIN_USER_MISSING, LOGIN_USER_FIELD);
    auth = {
      type: 'oauth2',
      user,
      consent: consent(p.oauthConnectedAt),
      accessToken: () =>
        tokenSource
          ? tokenSource(p.id)
          : Promise.reject(new SendError('EOAUTH_NOT_CONNECTED', 'OAuth 2.0 is not connected for this profile yet.', 'token')),
    };
    authLabel = `OAuth 2.0 (${p.oauthProvider}, ${p.grantType.replace('_', ' ')}) as ${user || 'the connected account'}`;
  }

  return {
    profileId: p.id,
    storeName: p.store.name,
    transport: graph ? 'graph' : 'smtp',
    graph: graph
      ? { endpoint: p.graphEndpoint, sender: p.graphSender, delegated: p.grantType !== 'client_credentials' }
      : undefined,
    target: {
      host: p.host,
      port: p.port,
      securityMode: mode,
      allowSelfSigned: p.allowSelfSigned,
      ehloName: p.ehloName || undefined,
      timeouts: {
        connectMs: p.connectTimeoutSeconds * 1000,
        greetingMs: p.greetingTimeoutSeconds * 1000,
        socketMs: p.socketTimeoutSeconds * 1000,
      },
    },
    auth,
    from: { address: p.fromAddress, name: p.fromName || undefined },
    authLabel,
    securityLabel: graph ? 'HTTPS (Microsoft Graph)' : (SECURITY_MODE_LABELS[mode] ?? mode),
  };
}
