/**
 * For the console's Node server, before Next.js sees a request: route handlers and server actions
 * get a Request without the socket, so the server writes the socket's address into a header that
 * clientAddress() (lib/http/client-address.ts) reads — after deleting any value the client sent.
 */
import type { IncomingMessage } from 'node:http';
import { CLIENT_ADDRESS_HEADER } from '@/lib/http/client-address';
import { normaliseIp } from '@/lib/net/ip';

export function stampClientAddress(req: IncomingMessage): void {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  // rawHeaders is what headersDistinct and some adapters read: the client's copy goes there too.
  for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) {
    if (req.rawHeaders[i].toLowerCase() === CLIENT_ADDRESS_HEADER) req.rawHeaders.splice(i, 2);
  }
  const address = normaliseIp(req.socket.remoteAddress);
  if (!address) return;
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  req.rawHeaders.push(CLIENT_ADDRESS_HEADER, address);
}
