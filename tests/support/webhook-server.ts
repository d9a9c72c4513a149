/**
 * A local HTTPS webhook receiver on 127.0.0.1 with the test servers' shared self-signed certificate
 * (trusting the OAuth server's certificate trusts this one too): it keeps every
 * POST (path, headers, body) and answers with `status` (200 unless changed).
 */
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpsServer, readBody, selfSignedCert, writeCaFile } from '@/tests/support/tls';

export type ReceivedHook = { path: string; headers: IncomingHttpHeaders; body: string };

export type WebhookServer = {
  origin: string;
  caPem: string;
  /** The file of `caPem`, for NODE_EXTRA_CA_CERTS of a child process. */
  caFile: string;
  received: ReceivedHook[];
  status: number;
  close(): Promise<void>;
};

export async function startWebhookServer(): Promise<WebhookServer> {
  const { key, cert } = await selfSignedCert();
  const { dir, caFile } = writeCaFile(cert, 'mailroom-hooks-');
  const received: ReceivedHook[] = [];
  const state = { status: 200 };
  const server = https.createServer({ key, cert }, (req, res) => {
    void readBody(req).then((body) => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(state.status, { 'Content-Type': 'text/plain' }).end(state.status < 300 ? 'ok' : 'refused');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    caPem: cert,
    caFile,
    received,
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    close: () => closeHttpsServer(server, dir),
  };
}
