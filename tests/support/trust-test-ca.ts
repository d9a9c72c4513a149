/**
 * Makes this process's fetch trust a test certificate on top of the system roots, so production
 * code (MSAL through its network module, oauth4webapi) reaches the local HTTPS OAuth server with
 * no test-only branch. Node's built-in fetch and the `undici` package (same 6.x line) share the
 * global dispatcher slot, so setting it here changes what global fetch uses.
 *
 * A child process (`next start`) cannot be changed this way: start it with
 * `env: { ...process.env, ...childTrustEnv(server.caFile) }` — Node reads NODE_EXTRA_CA_CERTS at startup only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/**
 * Trusts every `pem` (e.g. the OAuth and the Graph test servers) in addition to the system roots;
 * returns a function restoring the previous dispatcher.
 */
export function trustTestCa(...pems: string[]): () => void {
  const previous = getGlobalDispatcher();
  const agent = new Agent({ connect: { ca: [...tls.rootCertificates, ...pems] } });
  setGlobalDispatcher(agent);
  return () => {
    setGlobalDispatcher(previous);
    void agent.close();
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
