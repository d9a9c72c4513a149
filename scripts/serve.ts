/**
 * Serves the production build: Next.js's request handler behind a plain Node server that first
 * stamps each request's socket address (stampClientAddress), since route handlers and server
 * actions cannot see the socket (docs/security.md#client-address). `npm start` runs it;
 * `--port` (default $PORT or 3000) and `--hostname` (default: every interface).
 */
import http from 'node:http';
import next from 'next';
import { stampClientAddress } from '@/lib/http/socket-address';
import { root } from '@/scripts/build';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const port = Number(arg('port') ?? process.env.PORT ?? 3000);
const hostname = arg('hostname');

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();

app
  .prepare()
  .then(() => {
    http
      .createServer((req, res) => {
        stampClientAddress(req);
        void handle(req, res);
      })
      .listen(port, hostname);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
