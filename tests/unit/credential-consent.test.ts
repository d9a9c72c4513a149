import { describe, expect, it } from 'vitest';
import { consentFrom, credentialRefusal, transportRules } from '@/lib/mail/credential-consent';
import { movedBindings, movedTokenBindings, weakenedBy } from '@/lib/notifications/secrets';

const at = (iso: string) => new Date(`2026-11-28T${iso}Z`);

describe('credentials bound to their destination', () => {
  it('a password belongs to its host, port, username and authentication type, not to the security mode', () => {
    expect(movedBindings('smtpPassword', ['securityMode', 'allowSelfSigned'])).toEqual([]);
    expect(movedBindings('smtpPassword', ['port'])).toEqual(['port']);
    expect(movedBindings('smtpPassword', ['host', 'toAddresses'])).toEqual(['SMTP server']);
  });

  it('OAuth tokens belong to the SMTP server, port and Graph endpoint too', () => {
    expect(movedTokenBindings(['host'])).toEqual(['SMTP server']);
    expect(movedTokenBindings(['port', 'graphEndpoint'])).toEqual(['port', 'Graph endpoint']);
    expect(movedTokenBindings(['fromAddress', 'securityMode'])).toEqual([]);
  });

  it('turning protection off is named; turning it on is not', () => {
    const tls = { securityMode: 'starttls', allowSelfSigned: false };
    expect(weakenedBy(tls, { securityMode: 'none', allowSelfSigned: false })).toBe('security is set to "None"');
    expect(weakenedBy(tls, { securityMode: 'tls', allowSelfSigned: true })).toBe('"Allow self-signed certificate" is ticked');
    expect(weakenedBy({ securityMode: 'none', allowSelfSigned: true }, tls)).toBeUndefined();
  });
});

describe('consent to send a credential without full protection', () => {
  const profile = {
    securityMode: 'none',
    allowSelfSigned: true,
    plainTextSince: at('10:00:00'),
    selfSignedSince: at('12:00:00'),
  };

  it('counts only a credential entered at or after the choice', () => {
    expect(consentFrom({ ...profile, credentialSetAt: at('09:59:59') })).toEqual({
      unencrypted: false,
      untrustedCertificate: false,
    });
    expect(consentFrom({ ...profile, credentialSetAt: at('10:00:00') })).toEqual({
      unencrypted: true,
      untrustedCertificate: false,
    });
    expect(consentFrom({ ...profile, credentialSetAt: at('12:30:00') })).toEqual({
      unencrypted: true,
      untrustedCertificate: true,
    });
    // Security no longer None: an old consent means nothing.
    expect(consentFrom({ ...profile, securityMode: 'starttls', credentialSetAt: at('12:30:00') }).unencrypted).toBe(false);
    expect(consentFrom({ ...profile, plainTextSince: null, credentialSetAt: at('12:30:00') }).unencrypted).toBe(false);
  });

  it('tells a pooled transport what to demand before it connects', () => {
    const none = { securityMode: 'none' as const, allowSelfSigned: false };
    const basic = { type: 'basic' as const, user: 'u', pass: 'p' };
    expect(transportRules(none, basic)).toEqual({ requireEncryption: true, requireTrustedCertificate: true });
    expect(transportRules(none, { ...basic, consent: { unencrypted: true, untrustedCertificate: false } })).toEqual({
      requireEncryption: false,
      requireTrustedCertificate: true,
    });
    expect(transportRules(none, { type: 'none' })).toEqual({ requireEncryption: false, requireTrustedCertificate: true });
  });

  it('refuses a credential over a connection it was not entered for', () => {
    const selfSigned = { securityMode: 'starttls' as const, allowSelfSigned: true };
    const basic = { type: 'basic' as const, user: 'u', pass: 'p' };
    expect(credentialRefusal(selfSigned, basic, { encrypted: true, certificateTrusted: false })?.errorCode).toBe(
      'EUNTRUSTED_AUTH',
    );
    expect(credentialRefusal(selfSigned, basic, { encrypted: true, certificateTrusted: true })).toBeUndefined();
    expect(credentialRefusal(selfSigned, basic, { encrypted: false, certificateTrusted: false })?.errorCode).toBe(
      'EPLAINTEXT_AUTH',
    );
    expect(credentialRefusal(selfSigned, { type: 'none' }, { encrypted: false, certificateTrusted: false })).toBeUndefined();
  });
});
