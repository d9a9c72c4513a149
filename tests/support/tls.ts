/** A self-signed certificate for localhost / 127.0.0.1, made once per test file (selfsigned v5 is async). */
import { generate } from 'selfsigned';

export type KeyPair = { key: string; cert: string };

let pending: Promise<KeyPair> | undefined;

export function selfSignedCert(): Promise<KeyPair> {
  pending ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return pending;
}
