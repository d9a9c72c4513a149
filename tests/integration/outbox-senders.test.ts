/**
 * The outbox's per-store connections (SenderCache) against a real SMTP peer, with a short idle
 * time: a connection busy longer than the idle time is kept, an idle one is closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { validateMessage } from '@/lib/mail/message';
import { SenderCache } from '@/lib/outbox/senders';
import { peerStore } from '@/tests/support/peer-store';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';

const FROM = 'helpdesk@example.com';
const PASSWORD = 'sender cache password';
const IDLE_MS = 150;

let peer: Peer;
let storeId: string;

beforeAll(async () => {
  // Each message takes longer at the server than the cache's idle time.
  peer = await startSmtpPeer({ users: { [FROM]: PASSWORD }, dataDelayMs: IDLE_MS * 2 });
  process.env.SMTP_ALLOWED_PORTS = String(peer.port);
  resetEnvCache();
  storeId = await peerStore('Slow server', { port: peer.port, from: FROM, password: PASSWORD });
});
afterAll(async () => {
  await peer?.close();
});

const message = (i: number) => ({
  messageId: `<cache-${i}-${Date.now()}@example.com>`,
  fields: validateMessage({ from: { address: FROM }, to: ['user@example.org'], subject: `Slow ${i}`, text: 'Hello' }),
});

describe('SenderCache', () => {
  it('keeps a connection that is busy for longer than the idle time, and closes it once idle', async () => {
    const cache = new SenderCache({ idleMs: IDLE_MS, sweepMs: 20 });
    try {
      // A lane holds the sender it got once and sends message after message, each outlasting the idle time.
      const sender = await cache.get(storeId, 1, 1);
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await sender.send(message(i)));
      expect(results.map((r) => (r.ok ? 'sent' : r.detail))).toEqual(['sent', 'sent', 'sent']);
      expect(peer.connections).toBe(1);

      // Idle past the limit: the next lane gets a new connection.
      await new Promise((r) => setTimeout(r, IDLE_MS * 3));
      const next = await cache.get(storeId, 1, 1);
      expect(next).not.toBe(sender);
      expect((await next.send(message(3))).ok).toBe(true);
      expect(peer.connections).toBe(2);
    } finally {
      cache.closeAll();
    }
  });
});
