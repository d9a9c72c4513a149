import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest. Format: `v1.<keyId>.<nonce>.<ciphertext+tag>` (base64url).
 * Associated data binds a ciphertext to its row and column (`profileId|field`), so a value
 * copied into another row or column fails to decrypt.
 */
const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export type Key = { id: string; material: Buffer };

export type Keyring = { current: Key; previous: Key[] };

export function keyFromBase64(b64: string): Key {
  const material = Buffer.from(b64, 'base64');
  if (material.length !== 32) throw new Error('An encryption key must be 32 bytes (base64).');
  return { id: keyIdOf(material), material };
}

/** A short, non-secret fingerprint that names the key a ciphertext was made with. */
export function keyIdOf(material: Buffer): string {
  return createHash('sha256').update('mailroom-key-id').update(material).digest('hex').slice(0, 8);
}

export function makeKeyring(current: string, previous: string[] = []): Keyring {
  return { current: keyFromBase64(current), previous: previous.map(keyFromBase64) };
}

export function encrypt(ring: Keyring, plaintext: string, aad: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.material, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, ring.current.id, nonce.toString('base64url'), body.toString('base64url')].join('.');
}

export function decrypt(ring: Keyring, ciphertext: string, aad: string): string {
  const parts = ciphertext.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError('Not an encrypted value.');
  const [, keyId, nonceB64, bodyB64] = parts;
  const key = [ring.current, ...ring.previous].find((k) => k.id === keyId);
  if (!key) {
    throw new DecryptionError(
      `Encrypted with key ${keyId}, which is not configured (APP_ENCRYPTION_KEY / APP_ENCRYPTION_KEY_PREVIOUS).`,
    );
  }
  const nonce = Buffer.from(nonceB64, 'base64url');
  const body = Buffer.from(bodyB64, 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new DecryptionError('Malformed encrypted value.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, nonce);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('Encrypted value failed authentication (wrong key, wrong record, or tampered).');
  }
}

export function keyIdOfCiphertext(ciphertext: string): string | undefined {
  const parts = ciphertext.split('.');
  return parts.length === 4 ? parts[1] : undefined;
}
