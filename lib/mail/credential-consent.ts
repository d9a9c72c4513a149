/**
 * One rule for every SMTP path, the step engine (smtp-send.ts) and any pooled transport
 * (docs/security.md#no-credentials-in-clear-text): a credential — password or OAuth token — crosses
 * an unencrypted connection only when security is "None" and it was entered (or the OAuth
 * connection made) after "None" was chosen; it goes to a server whose certificate is not trusted
 * only when it was entered after "allow self-signed" was ticked. The saved profile records when each
 * was chosen; consentFrom() compares, credentialRefusal() / transportRules() apply.
 */
import { SendError, type CredentialConsent, type SecurityMode, type SmtpAuth } from '@/lib/mail/types';

export const NO_CONSENT: CredentialConsent = { unencrypted: false, untrustedCertificate: false };

/** From the saved profile: the credential counts only if it is at least as recent as the choice. */
export function consentFrom(p: {
  securityMode: string;
  allowSelfSigned: boolean;
  /** when the password was entered, or the OAuth connection made */
  credentialSetAt: Date | null;
  plainTextSince: Date | null;
  selfSignedSince: Date | null;
}): CredentialConsent {
  const after = (since: Date | null) => !!since && !!p.credentialSetAt && p.credentialSetAt.getTime() >= since.getTime();
  return {
    unencrypted: p.securityMode === 'none' && after(p.plainTextSince),
    untrustedCertificate: p.allowSelfSigned && after(p.selfSignedSince),
  };
}

/** An SmtpAuth, or what the engine holds once it has the token. */
type Credential = { type: SmtpAuth['type']; consent?: CredentialConsent };

const consentOf = (auth: Credential): CredentialConsent => auth.consent ?? NO_CONSENT;

/**
 * For a transport configured before it connects (e.g. nodemailer's pool): demand encryption before
 * AUTH (`requireTLS`, or no auth at all over None) and a trusted certificate (`rejectUnauthorized`)
 * unless the credential's consent allows otherwise.
 */
export function transportRules(
  target: { securityMode: SecurityMode; allowSelfSigned: boolean },
  auth: Credential,
): { requireEncryption: boolean; requireTrustedCertificate: boolean } {
  if (auth.type === 'none') return { requireEncryption: false, requireTrustedCertificate: !target.allowSelfSigned };
  const consent = consentOf(auth);
  return {
    requireEncryption: !(target.securityMode === 'none' && consent.unencrypted),
    requireTrustedCertificate: !(target.allowSelfSigned && consent.untrustedCertificate),
  };
}

/** Why `auth` must not be sent over this connection, or undefined when it may. */
export function credentialRefusal(
  target: { securityMode: SecurityMode; allowSelfSigned: boolean },
  auth: Credential,
  connection: { encrypted: boolean; certificateTrusted: boolean },
): SendError | undefined {
  if (auth.type === 'none') return undefined;
  const rules = transportRules(target, auth);
  const what = auth.type === 'basic' ? 'password' : 'access token';
  const again = auth.type === 'basic' ? 'enter the password again' : 'reconnect OAuth 2.0';
  if (!connection.encrypted && rules.requireEncryption) {
    return target.securityMode === 'none'
      ? new SendError(
          'EPLAINTEXT_AUTH',
          `Security mode is "None — unencrypted", but the ${what} was saved before that was chosen, so it was not sent unencrypted. To send it without encryption anyway, ${again} and save.`,
        )
      : new SendError(
          'EPLAINTEXT_AUTH',
          `The connection is not encrypted (the server offers no STARTTLS), so the ${what} was not sent.`,
        );
  }
  if (connection.encrypted && !connection.certificateTrusted && rules.requireTrustedCertificate) {
    return new SendError(
      'EUNTRUSTED_AUTH',
      `The server's certificate is not trusted, and the ${what} was saved before "Allow self-signed certificate" was ticked, so it was not sent. To send it to this server anyway, ${again} and save.`,
    );
  }
  return undefined;
}
