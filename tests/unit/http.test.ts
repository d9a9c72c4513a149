import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { ConflictError, NotFoundError, NotReadyError, RateLimitedError, UserFacingError } from '@/lib/errors';
import { CLIENT_ADDRESS_HEADER, clientAddress } from '@/lib/http/client-address';
import { stampClientAddress } from '@/lib/http/socket-address';
import { handleAndReturnErrorResponse } from '@/lib/http/errors';

const answer = async (err: unknown) => {
  const res = await handleAndReturnErrorResponse(err, { what: 'unit', internalMessage: 'internal' });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
};

describe('handleAndReturnErrorResponse', () => {
  it('answers with the status of the error class and one shape', async () => {
    expect(await answer(new UserFacingError('Enter a valid email address.', 'to'))).toEqual({
      status: 400,
      retryAfter: null,
      body: { status: 'error', error: { message: 'Enter a valid email address.', field: 'to' } },
    });
    expect((await answer(new NotFoundError('gone'))).status).toBe(404);
    expect((await answer(new ConflictError('stale'))).status).toBe(409);
    // Settings that are not ready are a conflict wherever they surface (Test Server and the send API).
    expect(await answer(new NotReadyError('Enter and save the SMTP server first.'))).toMatchObject({
      status: 409,
      body: { error: { message: 'Enter and save the SMTP server first.' } },
    });
    expect(await answer(new RateLimitedError('slow down', 42))).toMatchObject({ status: 429, retryAfter: '42' });
  });
});

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
  resetEnvCache();
});

/** clientAddress reads TRUSTED_PROXIES through lib/env, which needs a data directory. */
function trustProxies(list: string) {
  process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-http-'));
  process.env.TRUSTED_PROXIES = list;
  resetEnvCache();
}

const stamped = (socket: string, xff?: string) =>
  new Headers({ [CLIENT_ADDRESS_HEADER]: socket, ...(xff !== undefined && { 'x-forwarded-for': xff }) });

describe('clientAddress', () => {
  it('is the socket address the server stamped; X-Forwarded-For from the client is ignored', () => {
    trustProxies('');
    const spoofed = stamped('198.51.100.9', '203.0.113.7');
    expect(clientAddress(spoofed)).toBe('198.51.100.9');
    expect(clientAddress(new Request('http://localhost/', { headers: spoofed }))).toBe('198.51.100.9');
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: '::ffff:127.0.0.1', 'x-forwarded-for': ['203.0.113.7'] })).toBe('127.0.0.1');
    // Without the server's stamp there is no address to believe.
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.7' }))).toBe('unknown');
    expect(clientAddress({})).toBe('unknown');
    expect(clientAddress(undefined)).toBe('unknown');
  });

  it('behind TRUSTED_PROXIES takes the right-most hop that is not a trusted proxy', () => {
    trustProxies('10.0.0.0/8, 192.0.2.1');
    // The client wrote 203.0.113.66 itself; the first proxy appended what it saw (198.51.100.20), the second proxy 10.1.1.1.
    expect(clientAddress(stamped('192.0.2.1', '203.0.113.66, 198.51.100.20, 10.1.1.1'))).toBe('198.51.100.20');
    expect(clientAddress(stamped('10.0.0.5', '198.51.100.21:51234'))).toBe('198.51.100.21');
    expect(clientAddress(stamped('10.0.0.5', '[2001:db8::7]:443'))).toBe('2001:db8::7');
    // A socket that is not a trusted proxy: its header means nothing.
    expect(clientAddress(stamped('198.51.100.30', '10.0.0.9'))).toBe('198.51.100.30');
    // Only trusted hops, or garbage before them: the nearest address a trusted proxy vouched for.
    expect(clientAddress(stamped('10.0.0.5', '10.0.0.4'))).toBe('10.0.0.4');
    expect(clientAddress(stamped('10.0.0.5', 'evil, 10.0.0.4'))).toBe('10.0.0.4');
    expect(clientAddress(stamped('10.0.0.5'))).toBe('10.0.0.5');
  });
});

describe('stampClientAddress', () => {
  it("replaces whatever the client sent under the header with the socket's address", async () => {
    const seen: { headers: http.IncomingHttpHeaders; raw: string[] }[] = [];
    const server = http.createServer((req, res) => {
      stampClientAddress(req);
      seen.push({ headers: req.headers, raw: req.rawHeaders });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await new Promise<void>((resolve, reject) => {
        const req = http.request(
          { host: '127.0.0.1', port, localAddress: '127.0.0.2', headers: { [CLIENT_ADDRESS_HEADER]: '203.0.113.7' } },
          (res) => res.resume().on('end', resolve),
        );
        req.on('error', reject);
        req.end();
      });
    } finally {
      server.close();
    }
    expect(seen[0].headers[CLIENT_ADDRESS_HEADER]).toBe('127.0.0.2');
    const raw = seen[0].raw.filter((_, i, all) => i % 2 === 1 && all[i - 1].toLowerCase() === CLIENT_ADDRESS_HEADER);
    expect(raw).toEqual(['127.0.0.2']);
  });
});
