/** What the local HTTPS test servers share: a self-signed certificate for localhost / 127.0.0.1 (selfsigned v5 is async), its CA file, closing, reading a body. */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { generateSelfSigned } from '@/lib/relay/tls';

export type KeyPair = { key: string; cert: string };

let pending: Promise<KeyPair> | undefined;

export function selfSignedCert(): Promise<KeyPair> {
  pending ??= generateCert('localhost');
  return pending;
}

/** A new certificate every call: a server that must not be trusted along with the others. */
export function generateCert(commonName: string): Promise<KeyPair> {
  return generateSelfSigned(commonName, ['localhost', '127.0.0.1']);
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
