/**
 * The console's HTTP server: Next.js's request handler in this process (a custom server), so the
 * console, the outbox worker and any other component share one process, one graceful stop and one
 * set of metrics. It stamps each request's socket address for `clientAddress()`, times every
 * request for the metrics, and registers as the "http" component (lib/runtime/components.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';
import { projectRoot } from '@/lib/database-url';
import { stampClientAddress } from '@/lib/http/socket-address';
import { observeHttp } from '@/lib/metrics';
import { registerComponent } from '@/lib/runtime/components';

export type ConsoleServer = { server: Server; port: number };

export type ConsoleOptions = {
  dev: boolean;
  port: number;
  /** Interface to listen on; all interfaces when absent (as `next start`). */
  hostname?: string;
};

const STOPPING_BODY = JSON.stringify({
  status: 'error',
  error: { message: 'This Mailroom process is stopping; send the request to another one or try again shortly.' },
});

export async function startConsole(o: ConsoleOptions): Promise<ConsoleServer> {
  const app = next({ dev: o.dev, dir: projectRoot, port: o.port, hostname: o.hostname ?? 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();
  let stopping = false;
  const server: Server = createServer((req, res) => {
    if (stopping) {
      // A request that arrives on a kept-alive connection after the stop: refused, and the connection closed.
      res.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close', 'Retry-After': '1' });
      res.end(STOPPING_BODY);
      return;
    }
    // Route handlers cannot see the socket: its address goes into a header the client cannot set (docs/security.md).
    stampClientAddress(req);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      observeHttp(req.method ?? 'GET', req.url ?? '/', res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      // Once stopping, a connection is closed as soon as its last response is sent.
      if (stopping) server.closeIdleConnections();
    });
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.hostname, () => (server.off('error', reject), resolve()));
  });
  const port = (server.address() as AddressInfo).port;
  registerComponent({
    name: 'http',
    status: () => ({ ready: !stopping, detail: { port } }),
    stop: (timeoutMs) =>
      new Promise((resolve) => {
        stopping = true;
        // Requests in progress finish; idle keep-alive connections close now, the rest at the bound.
        const timer = setTimeout(() => server.closeAllConnections(), timeoutMs).unref();
        server.close(() => (clearTimeout(timer), resolve({ port })));
        server.closeIdleConnections();
      }),
  });
  return { server, port };
}
