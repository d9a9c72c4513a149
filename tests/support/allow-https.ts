/**
 * Lets production code's outbound HTTPS (lib/net/fetch.ts: OAuth, discovery, Graph) reach local
 * test servers, the way an operator would: by listing their ports in HTTP_ALLOWED_PORTS. Returns a
 * function restoring the previous value. A child process gets `{ HTTP_ALLOWED_PORTS: httpsPorts(…) }`.
 */
import { resetEnvCache } from '@/lib/env';

/** The ports of these origins or URLs (`https://127.0.0.1:43121/…`), comma-separated. */
export const httpsPorts = (...urls: string[]): string => urls.map((u) => new URL(u).port || '443').join(',');

export function allowHttps(...urls: string[]): () => void {
  const previous = process.env.HTTP_ALLOWED_PORTS;
  process.env.HTTP_ALLOWED_PORTS = httpsPorts(...urls);
  resetEnvCache();
  return () => {
    if (previous === undefined) delete process.env.HTTP_ALLOWED_PORTS;
    else process.env.HTTP_ALLOWED_PORTS = previous;
    resetEnvCache();
  };
}
