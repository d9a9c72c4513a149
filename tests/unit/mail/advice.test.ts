import { describe, expect, it } from 'vitest';
import { ADVICE, adviseFor, type Failure } from '@/lib/mail/advice';
import { classifyTls } from '@/lib/mail/classify';
import { SECURITY_MODE_LABELS } from '@/lib/notifications/providers';

const f = (x: Partial<Failure>): Failure => ({ step: 'auth', ...x });

describe('advice catalogue', () => {
  it('is well-formed data: unique ids, a title and a detail each, one catch-all last', () => {
    const ids = ADVICE.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ADVICE) {
      expect(a.title.length).toBeGreaterThan(5);
      expect(a.detail.length).toBeGreaterThan(20);
    }
    expect(ADVICE[ADVICE.length - 1]).toMatchObject({ id: 'unknown', match: {} });
    expect(adviseFor(f({ errorCode: 'ESOMETHING_NEW' })).id).toBe('unknown');
  });

  it('names security options exactly as the Security mode list shows them, and offers a fix where it is a setting', () => {
    const labels = Object.values(SECURITY_MODE_LABELS);
    for (const a of ADVICE) {
      const text = `${a.title} ${a.detail}`;
      // "set security to TLS" names an option the list does not have.
      expect(text, a.id).not.toMatch(/security (is set )?to (TLS|STARTTLS)\b|security "None"|Security is /i);
      for (const [, quoted] of text.matchAll(/Security mode (?:to |is |was set to )?"([^"]+)"/g))
        expect(labels, a.id).toContain(quoted);
      for (const quoted of text.match(/"(STARTTLS[^"]*|Implicit TLS[^"]*|None[^"]*)"/g) ?? [])
        expect(labels, a.id).toContain(quoted.slice(1, -1));
    }
    const implicit = adviseFor(f({ step: 'connect', errorCode: 'ENOGREETING', port: 465, securityMode: 'starttls' }));
    expect(implicit.fix).toEqual({ label: 'Switch to Implicit TLS on 465', set: { securityMode: 'tls', port: 465 } });
    const plain = adviseFor(f({ step: 'tls', errorCode: 'ETLS_WRONG_VERSION', port: 2525, securityMode: 'tls' }));
    expect(plain.fix).toEqual({ label: 'Switch to STARTTLS required', set: { securityMode: 'starttls' } });
  });

  describe('every SMTP row of docs/providers.md', () => {
    it('535 5.7.3 with OAuth: scope/consent, shared mailbox and the app-only New-ServicePrincipal case', () => {
      const a = adviseFor(f({ code: 535, enhanced: '5.7.3', authType: 'oauth2', errorCode: 'EAUTH' }));
      expect(a.id).toBe('ms-535-5.7.3-oauth');
      expect(a.detail).toMatch(/New-ServicePrincipal/);
      expect(a.detail).toMatch(/15–30 minutes/);
      expect(a.detail).toMatch(/shared mailbox/i);
      expect(a.detail).toMatch(/consent/);
    });
    it('535 5.7.3 with a password: account, shared mailbox, move to OAuth', () => {
      const a = adviseFor(f({ code: 535, enhanced: '5.7.3', authType: 'basic', errorCode: 'EAUTH' }));
      expect(a.id).toBe('ms-535-5.7.3-basic');
      expect(a.detail).toMatch(/shared mailbox/i);
    });
    it('535 5.7.139: Set-CASMailbox and Set-TransportConfig', () => {
      const a = adviseFor(f({ code: 535, enhanced: '5.7.139', authType: 'basic', errorCode: 'EAUTH' }));
      expect(a.id).toBe('ms-535-5.7.139');
      expect(a.detail).toContain('Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false');
      expect(a.detail).toContain('Set-TransportConfig');
    });
    it('550 5.7.60: Add-RecipientPermission', () => {
      const a = adviseFor(f({ step: 'data', code: 550, enhanced: '5.7.60', errorCode: 'EMESSAGE' }));
      expect(a.id).toBe('ms-550-5.7.60');
      expect(a.detail).toContain('Add-RecipientPermission');
    });
    it('5.7.57 (with 530): authenticate before MAIL FROM', () => {
      expect(adviseFor(f({ step: 'mail_from', code: 530, enhanced: '5.7.57', errorCode: 'EENVELOPE' })).id).toBe('ms-5.7.57');
    });
    it('550 5.7.30 (also seen as 535): switch to OAuth 2.0', () => {
      for (const code of [550, 535]) {
        const a = adviseFor(f({ code, enhanced: '5.7.30', authType: 'basic', errorCode: 'EAUTH' }));
        expect(a.id).toBe('ms-550-5.7.30');
        expect(a.title).toMatch(/OAuth 2\.0/);
      }
    });
  });

  it.each<[string, Partial<Failure>]>([
    ['dns-not-found', { step: 'resolve', errorCode: 'ENOTFOUND' }],
    ['connection-refused', { step: 'connect', errorCode: 'ECONNREFUSED' }],
    ['connect-timeout', { step: 'connect', errorCode: 'ETIMEDOUT' }],
    ['no-greeting', { step: 'connect', errorCode: 'ENOGREETING', port: 2525, securityMode: 'starttls' }],
    ['no-greeting-implicit-port', { step: 'connect', errorCode: 'ENOGREETING', port: 465, securityMode: 'starttls' }],
    ['server-stalled', { step: 'mail_from', errorCode: 'ESTALLED' }],
    ['tls-failed', { step: 'tls', errorCode: 'ETLS' }],
    ['tls-on-plain-port', { step: 'tls', errorCode: 'ETLS_WRONG_VERSION', port: 587, securityMode: 'tls' }],
    ['cert-untrusted', { step: 'tls', errorCode: 'ECERT_UNTRUSTED' }],
    ['cert-name-mismatch', { step: 'tls', errorCode: 'ECERT_NAME' }],
    ['starttls-not-offered', { step: 'tls', errorCode: 'ENOSTARTTLS' }],
    ['mechanism-not-offered', { errorCode: 'ENOMECH', authType: 'basic' }],
    ['xoauth2-not-offered', { errorCode: 'ENOMECH', authType: 'oauth2' }],
    ['auth-required', { step: 'mail_from', code: 530, errorCode: 'EENVELOPE' }],
    ['auth-failed', { code: 535, errorCode: 'EAUTH', authType: 'basic' }],
    ['auth-failed-oauth', { code: 535, errorCode: 'EAUTH', authType: 'oauth2' }],
    ['recipient-rejected', { step: 'rcpt_to', code: 550, errorCode: 'EENVELOPE', text: 'User unknown' }],
    ['relay-denied', { step: 'rcpt_to', code: 550, enhanced: '5.7.1', errorCode: 'EENVELOPE', text: 'Relaying denied' }],
    ['relay-denied', { step: 'rcpt_to', code: 554, errorCode: 'EENVELOPE', text: 'Relay access denied' }],
    ['sender-rejected', { step: 'mail_from', code: 550, errorCode: 'EENVELOPE' }],
    ['message-too-large', { step: 'data', code: 552, errorCode: 'EMESSAGE' }],
    ['transaction-failed', { step: 'data', code: 554, errorCode: 'EMESSAGE' }],
    ['policy-port', { step: 'connect', errorCode: 'EPOLICY_PORT' }],
    ['policy-denied', { step: 'connect', errorCode: 'EPOLICY_DENIED' }],
    ['policy-not-allowed', { step: 'connect', errorCode: 'EPOLICY_NOT_ALLOWED' }],
    ['invalid-header', { step: 'data', errorCode: 'EHEADER' }],
  ])('%s', (id, failure) => {
    expect(adviseFor(f(failure)).id).toBe(id);
  });

  it('names the environment variable behind each policy refusal', () => {
    expect(adviseFor(f({ errorCode: 'EPOLICY_PORT' })).detail).toContain('SMTP_ALLOWED_PORTS');
    expect(adviseFor(f({ errorCode: 'EPOLICY_DENIED' })).detail).toContain('SMTP_DENIED_HOSTS');
    expect(adviseFor(f({ errorCode: 'EPOLICY_NOT_ALLOWED' })).detail).toContain('SMTP_ALLOWED_HOSTS');
  });

  it('tells the admin to use STARTTLS on 587 for "wrong version number", and TLS for a silent 465', () => {
    expect(adviseFor(f({ step: 'tls', errorCode: 'ETLS_WRONG_VERSION' })).detail).toMatch(/STARTTLS.*587/);
    expect(adviseFor(f({ step: 'connect', errorCode: 'ENOGREETING', port: 465, securityMode: 'starttls' })).detail).toMatch(
      /"Implicit TLS \(SSL\/TLS from the first byte\)" for port 465/,
    );
  });

  it('a criterion that does not match disqualifies the entry', () => {
    // 535 5.7.3 for OAuth must not get the password advice, and vice versa.
    expect(adviseFor(f({ code: 535, enhanced: '5.7.3', authType: 'oauth2' })).id).not.toBe('ms-535-5.7.3-basic');
    expect(adviseFor(f({ step: 'data', code: 550 })).id).toBe('mailbox-unavailable');
  });
});

describe('classifyTls', () => {
  it.each([
    ['self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ECERT_UNTRUSTED'],
    ['self signed certificate in certificate chain', '', 'ECERT_UNTRUSTED'],
    ['unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ECERT_UNTRUSTED'],
    [
      "Hostname/IP does not match certificate's altnames: Host: smtp.example.com. is not in the cert's altnames: DNS:mail.other.net",
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ECERT_NAME',
    ],
    ['certificate has expired', 'CERT_HAS_EXPIRED', 'ECERT_EXPIRED'],
    [
      '80AC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'ETLS_WRONG_VERSION',
    ],
  ])('%s', (message, code, expected) => {
    expect(classifyTls(message, code)?.errorCode).toBe(expected);
  });
  it('leaves other errors alone', () => {
    expect(classifyTls('read ECONNRESET', 'ECONNRESET')).toBeUndefined();
  });
});
