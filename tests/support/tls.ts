/** What the local HTTPS test servers share: a self-signed certificate for localhost / 127.0.0.1 (selfsigned v5 is async), its CA file, closing, reading a body. */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

export type KeyPair = { key: string; cert: string };

let pending: Promise<KeyPair> | undefined;

export function selfSignedCert(): Promise<KeyPair> {
  pending ??= generateCert('localhost');
  return pending;
}

/** A new certificate every call: a server that must not be trusted along with the others. */
export function generateCert(commonName: string): Promise<KeyPair> {
  return generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
}

/** The certificate in a temp file, for NODE_EXTRA_CA_CERTS of a child process. */
export function writeCaFile(pem: string, prefix: string): { dir: string; caFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, pem);
  return { dir, caFile };
}

/** Stops a local HTTPS test server (open keep-alive sockets included) and removes its temp dir. */
export function closeHttpsServer(server: https.Server, dir: string): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve();
    });
  });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
