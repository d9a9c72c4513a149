/**
 * The console's HTTP server: Next.js's request handler in this process (a custom server), so the
 * console, the outbox worker and the relay share one process, one graceful stop and one set of
 * metrics. It also stamps each request's socket address for `clientAddress()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';
import { projectRoot } from '@/lib/database-url';
import { stampClientAddress } from '@/lib/http/socket-address';

export type ConsoleServer = { server: Server; port: number; close: (timeoutMs: number) => Promise<void> };

export type ConsoleOptions = {
  dev: boolean;
  port: number;
  /** Interface to listen on; all interfaces when absent (as `next start`). */
  hostname?: string;
  /** Called when a response has been sent (metrics). */
  onResponse?: (req: IncomingMessage, res: ServerResponse, seconds: number) => void;
};

export async function startConsole(o: ConsoleOptions): Promise<ConsoleServer> {
  const app = next({ dev: o.dev, dir: projectRoot, port: o.port, hostname: o.hostname ?? 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    // Route handlers cannot see the socket: its address goes into a header the client cannot set (docs/security.md).
    stampClientAddress(req);
    const started = process.hrtime.bigint();
    if (o.onResponse) res.once('finish', () => o.onResponse?.(req, res, Number(process.hrtime.bigint() - started) / 1e9));
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.hostname, () => (server.off('error', reject), resolve()));
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: (timeoutMs) =>
      new Promise<void>((resolve) => {
        // Requests in progress finish; idle keep-alive connections close now, the rest at the bound.
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs).unref();
        server.close(() => (clearTimeout(timer), resolve()));
        server.closeIdleConnections();
      }),
  };
}
