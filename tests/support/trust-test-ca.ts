/**
 * Makes this process trust a test certificate on top of the system roots, so production code
 * (MSAL's network module, oauth4webapi, the Graph engine — all through lib/net/fetch.ts's own
 * connection pool) reaches the local HTTPS servers with no test-only branch: every TLS context
 * created without an explicit `ca` gets the test CAs too, which is what NODE_EXTRA_CA_CERTS does for
 * a process started with it.
 *
 * A child process (the console under test) cannot be changed this way: start it with
 * `env: { ...process.env, ...childTrustEnv(server.caFile) }` — Node reads NODE_EXTRA_CA_CERTS at startup only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

/**
 * Trusts every `pem` (e.g. the OAuth and the Graph test servers) in addition to the system roots;
 * returns a function restoring the previous trust.
 */
export function trustTestCa(...pems: string[]): () => void {
  const previous = tls.createSecureContext;
  tls.createSecureContext = (options) =>
    previous(options?.ca === undefined ? { ...options, ca: [...tls.rootCertificates, ...pems] } : options);
  return () => {
    tls.createSecureContext = previous;
  };
}

export const childTrustEnv = (caFile: string) => ({ NODE_EXTRA_CA_CERTS: caFile });

const combinedFiles: string[] = [];

/** NODE_EXTRA_CA_CERTS names one file: writes all `pems` into a temp file (removed when this process exits). */
export function combinedCaFile(...pems: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-ca-'));
  const file = path.join(dir, 'ca.pem');
  fs.writeFileSync(file, [...new Set(pems.map((p) => p.trim()))].join('\n') + '\n', { mode: 0o600 });
  if (!combinedFiles.length)
    process.once('exit', () => combinedFiles.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  combinedFiles.push(dir);
  return file;
}
