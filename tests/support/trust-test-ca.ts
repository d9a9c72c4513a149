/**
 * Makes this process's fetch trust a test certificate on top of the system roots, so production
 * code (MSAL through its network module, oauth4webapi) reaches the local HTTPS OAuth server with
 * no test-only branch. Node's built-in fetch and the `undici` package (same 6.x line) share the
 * global dispatcher slot, so setting it here changes what global fetch uses.
 *
 * A child process (`next start`) cannot be changed this way: start it with
 * `env: { ...process.env, ...childTrustEnv(server.caFile) }` — Node reads NODE_EXTRA_CA_CERTS at startup only.
 */
import tls from 'node:tls';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/** Trusts `pem` in addition to the system roots; returns a function restoring the previous dispatcher. */
export function trustTestCa(pem: string): () => void {
  const previous = getGlobalDispatcher();
  const agent = new Agent({ connect: { ca: [...tls.rootCertificates, pem] } });
  setGlobalDispatcher(agent);
  return () => {
    setGlobalDispatcher(previous);
    void agent.close();
  };
}

export const childTrustEnv = (caFile: string) => ({ NODE_EXTRA_CA_CERTS: caFile });
