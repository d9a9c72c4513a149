import { type Env, getEnv } from '@/lib/env';
import { decrypt, encrypt, makeKeyring, type Keyring } from '@/lib/crypto/cipher';

let ring: { env: Env; keyring: Keyring } | undefined;

/** The configured keyring, built once per configuration (again after resetEnvCache). */
export function activeKeyring(): Keyring {
  const env = getEnv();
  if (ring?.env !== env) ring = { env, keyring: makeKeyring(env.APP_ENCRYPTION_KEY, env.APP_ENCRYPTION_KEY_PREVIOUS) };
  return ring.keyring;
}

/** Associated data for a secret column: ties the ciphertext to its record and field. */
export const secretAad = (recordId: string, field: string) => `${recordId}|${field}`;

export function sealSecret(recordId: string, field: string, plaintext: string): string {
  return encrypt(activeKeyring(), plaintext, secretAad(recordId, field));
}

export function openSecret(recordId: string, field: string, ciphertext: string): string {
  return decrypt(activeKeyring(), ciphertext, secretAad(recordId, field));
}

export function currentKeyId(): string {
  return activeKeyring().current.id;
}
