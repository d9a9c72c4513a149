/**
 * The production build behind a plain Node server that stamps each request's socket address
 * (stampClientAddress) before Next.js handles it — what the console's own server does — so the
 * end-to-end suite sees client addresses as production does. `PORT` and `HOSTNAME` from the environment.
 */
import http from 'node:http';
import next from 'next';
import { stampClientAddress } from '@/lib/http/socket-address';
import { root } from '@/scripts/build';

const port = Number(process.env.PORT);
const hostname = process.env.HOSTNAME ?? '127.0.0.1';

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
