import { getEnv } from '@/lib/env';
import { decrypt, encrypt, keyIdOfCiphertext, makeKeyring, type Keyring } from '@/lib/crypto/cipher';

export { keyIdOfCiphertext } from '@/lib/crypto/cipher';

let ring: Keyring | undefined;

function keyring(): Keyring {
  if (!ring) {
    const env = getEnv();
    ring = makeKeyring(env.APP_ENCRYPTION_KEY, env.APP_ENCRYPTION_KEY_PREVIOUS);
  }
  return ring;
}

/** Associated data for a secret column: ties the ciphertext to its record and field. */
const secretAad = (recordId: string, field: string) => `${recordId}|${field}`;

export function sealSecret(recordId: string, field: string, plaintext: string): string {
  return encrypt(keyring(), plaintext, secretAad(recordId, field));
}

export function openSecret(recordId: string, field: string, ciphertext: string): string {
  return decrypt(keyring(), ciphertext, secretAad(recordId, field));
}

export function isSealedWithCurrentKey(ciphertext: string): boolean {
  return keyIdOfCiphertext(ciphertext) === keyring().current.id;
}

export function currentKeyId(): string {
  return keyring().current.id;
}
