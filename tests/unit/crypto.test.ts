import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, DecryptionError, encrypt, keyIdOfCiphertext, makeKeyring } from '@/lib/crypto/cipher';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

describe('secret cipher (AES-256-GCM)', () => {
  it('round-trips and never contains the plaintext', () => {
    const ring = makeKeyring(k1);
    const ct = encrypt(ring, 'hunter2-smtp-password', 'p1|smtpPassword');
    expect(ct).not.toContain('hunter2');
    expect(ct.startsWith(`v1.${ring.current.id}.`)).toBe(true);
    expect(decrypt(ring, ct, 'p1|smtpPassword')).toBe('hunter2-smtp-password');
  });

  it('uses a fresh nonce every time', () => {
    const ring = makeKeyring(k1);
    expect(encrypt(ring, 'same', 'a|b')).not.toBe(encrypt(ring, 'same', 'a|b'));
  });

  it('refuses a ciphertext moved to another record or field', () => {
    const ring = makeKeyring(k1);
    const ct = encrypt(ring, 'secret', 'p1|clientSecret');
    expect(() => decrypt(ring, ct, 'p2|clientSecret')).toThrow(DecryptionError);
    expect(() => decrypt(ring, ct, 'p1|smtpPassword')).toThrow(DecryptionError);
  });

  it('refuses a tampered ciphertext instead of passing it through', () => {
    const ring = makeKeyring(k1);
    const ct = encrypt(ring, 'secret', 'a|b');
    const parts = ct.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    const tampered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    expect(() => decrypt(ring, tampered, 'a|b')).toThrow(/failed authentication/);
    expect(() => decrypt(ring, 'plaintext-value', 'a|b')).toThrow(DecryptionError);
  });

  it('decrypts with a previous key and names an unknown key', () => {
    const old = makeKeyring(k1);
    const ct = encrypt(old, 'secret', 'a|b');
    const rotated = makeKeyring(k2, [k1]);
    expect(decrypt(rotated, ct, 'a|b')).toBe('secret');
    expect(keyIdOfCiphertext(encrypt(rotated, 'secret', 'a|b'))).toBe(rotated.current.id);
    expect(() => decrypt(makeKeyring(k2), ct, 'a|b')).toThrow(new RegExp(`key ${old.current.id}`));
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => makeKeyring(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
