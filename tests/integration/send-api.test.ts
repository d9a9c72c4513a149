/**
 * POST /api/v1/notifications: the route handler itself (real Request/Response), API keys in the
 * database, and a real SMTP server receiving the notification.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/notifications/route';
import { listApiKeys } from '@/lib/api-keys/queries';
import { authenticateApiKey, createApiKey, revokeApiKey } from '@/lib/api-keys/service';
import { db } from '@/lib/db';
import { sqliteFilePath } from '@/lib/database-url';
import { resetEnvCache } from '@/lib/env';
import { saveNotificationSettings } from '@/lib/notifications/service';
import { createStore } from '@/lib/stores/service';
import { notificationsSchema } from '@/lib/validation/notifications';
import { decodeWords, textBody } from '@/tests/support/mime';
import { notificationsInput } from '@/tests/support/notification-values';
import { startTestWorker } from '@/tests/support/outbox';
import { startSmtpPeer, type Peer } from '@/tests/support/smtp-peer';
import type { Background } from '@/lib/runtime/background';

const PASSWORD = 'api-smtp-password-123';
let peer: Peer;
let storeId: string;
let key: string;
let worker: Background;

beforeAll(async () => {
  peer = await startSmtpPeer({
    users: { 'helpdesk@example.com': PASSWORD },
    unknownRecipients: ['gone@example.org'],
    queueId: 'API42',
  });
  process.env.SMTP_ALLOWED_PORTS = `587,${peer.port}`;
  process.env.SEND_API_PER_MINUTE = '8';
  resetEnvCache();
  const store = await createStore({ name: 'Contoso', type: 'active_directory' }, 'ann@example.com');
  storeId = store.id;
  const values = notificationsInput({
    smtp: { host: '127.0.0.1', port: peer.port, securityMode: 'starttls', allowSelfSigned: true },
    auth: { smtpPassword: { mode: 'set', value: PASSWORD } },
    recipients: { to: 'servicedesk@example.org', cc: 'audit@example.org' },
  });
  await saveNotificationSettings(store.id, notificationsSchema.parse(values), 'ann@example.com');
  ({ key } = await createApiKey(store.id, 'Helpdesk', 'ann@example.com'));
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.stop(5_000);
  await peer?.close();
});

/** Waits for the outcome (Prefer: wait), as a caller that wants to know does. */
const post = (body: unknown, authorization = `Bearer ${key}`, headers: Record<string, string> = {}) =>
  POST(
    new Request('http://localhost/api/v1/notifications', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', prefer: 'wait=30', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
const json = async (res: Response) => (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> };

describe('API keys', () => {
  it('are random, shown once, stored only as a hash, and found again by the Bearer header', async () => {
    expect(key).toMatch(/^mr_[A-Za-z0-9_-]{43}$/);
    const [row] = await listApiKeys(storeId);
    expect(row).toMatchObject({
      name: 'Helpdesk',
      prefix: key.slice(0, 9),
      createdBy: 'ann@example.com',
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(fs.readFileSync(sqliteFilePath(process.env.DATABASE_URL ?? '')).includes(key)).toBe(false);

    expect(await authenticateApiKey(`Bearer ${key}`)).toMatchObject({ storeId, name: 'Helpdesk' });
    expect((await listApiKeys(storeId))[0].lastUsedAt).toBeInstanceOf(Date);
    for (const wrong of [key, `Basic ${key}`, `Bearer ${key}x`, `Bearer ${key.slice(0, -1)}`, 'Bearer ', '']) {
      expect(await authenticateApiKey(wrong)).toBeNull();
    }
  });

  it('an active name is unique per store; a revoked key stops working at once', async () => {
    await expect(createApiKey(storeId, 'Helpdesk', 'ann@example.com')).rejects.toThrow(
      'An active key named "Helpdesk" already exists',
    );
    const temp = await createApiKey(storeId, 'Temporary', 'ann@example.com');
    expect((await post({ subject: 'Before', text: 'x' }, `Bearer ${temp.key}`)).status).toBe(200);
    await revokeApiKey(storeId, temp.id);
    const res = await post({ subject: 'After', text: 'x' }, `Bearer ${temp.key}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="mailroom"');
    expect((await json(res)).error?.message).toMatch(/^Unknown or revoked API key/);
  });
});

describe('POST /api/v1/notifications', () => {
  it('sends to the given To and Cc through the saved profile; the message and the delivery log are right', async () => {
    const res = await post({
      to: ['jane@example.org'],
      cc: 'manager@example.org',
      subject: 'Your password expires in 3 days',
      text: 'Hello Jane,\n\nplease change it.',
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      status: 'sent',
      transport: 'smtp',
      to: ['jane@example.org'],
      cc: ['manager@example.org'],
      queueId: 'API42',
      rejected: [],
    });

    const mail = peer.messages.at(-1)!;
    expect(mail.user).toBe('helpdesk@example.com');
    expect(mail.to).toEqual(['jane@example.org', 'manager@example.org']);
    expect(mail.headers.from).toBe('IT Helpdesk <helpdesk@example.com>');
    expect(mail.headers.to).toBe('jane@example.org');
    expect(mail.headers.cc).toBe('manager@example.org');
    expect(decodeWords(mail.headers.subject)).toBe('Your password expires in 3 days');
    expect(mail.headers['message-id']).toBe(body.messageId);
    expect(textBody(mail)).toContain('please change it.');

    const log = await db.deliveryLog.findFirstOrThrow({ where: { storeId, subject: 'Your password expires in 3 days' } });
    expect(log).toMatchObject({
      kind: 'notification',
      ok: true,
      recipient: 'jane@example.org; manager@example.org',
      queueId: 'API42',
      actorEmail: `API key “Helpdesk” (${key.slice(0, 9)}…)`,
    });
  });

  it('with "html", sends multipart/alternative: the text part and the HTML part', async () => {
    const res = await post({
      to: ['jane@example.org'],
      subject: 'Formatted',
      text: 'Plain version.',
      html: '<p>HTML <b>version</b>.</p>',
    });
    expect(res.status).toBe(200);
    const mail = peer.messages.at(-1)!;
    expect(mail.headers['content-type']).toMatch(/^multipart\/alternative; boundary=/);
    expect(mail.body).toMatch(
      /Content-Type: text\/plain; charset=utf-8[\s\S]*Plain version\.[\s\S]*Content-Type: text\/html; charset=utf-8[\s\S]*<p>HTML <b>version<\/b>\.<\/p>/,
    );
  });

  it('without "to", sends to the store’s own To and CC recipients', async () => {
    const res = await post({ subject: 'Group membership changed', text: 'Ann joined Helpdesk.' });
    expect(await json(res)).toMatchObject({ status: 'sent', to: ['servicedesk@example.org'], cc: ['audit@example.org'] });
    expect(peer.messages.at(-1)?.to).toEqual(['servicedesk@example.org', 'audit@example.org']);
  });

  it('reports recipients the server refused while delivering to the others', async () => {
    const res = await post({ to: ['jane@example.org', 'gone@example.org'], subject: 'Partly', text: 'x' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      status: 'sent',
      rejected: [{ address: 'gone@example.org', reply: '550 5.1.1 User unknown' }],
    });
  });

  it('names each bad field and sends nothing', async () => {
    const before = peer.messages.length;
    const res = await post({
      to: ['jane@example.org', 'not-an-address'],
      subject: 'Hi\r\nBcc: x@evil.example',
      text: 'a\u0000b',
      body: 'typo',
    });
    expect(res.status).toBe(400);
    const fields = (await json(res)).error?.fields as Record<string, string[]>;
    expect(fields.to).toEqual(['"not-an-address" is not a valid email address.']);
    expect(fields.subject).toEqual(['Line breaks and control characters are not allowed here.']);
    expect(fields.text?.[0]).toMatch(/no other control characters/);
    expect(fields._form?.[0]).toMatch(/body/);
    expect((await post('{not json')).status).toBe(400);
    const huge = await post({ subject: 's', text: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await json(huge)).error?.message).toBe('The request body is larger than 1 MiB.');
    const ccOnly = await post({ cc: ['x@example.org'], subject: 's', text: 't' });
    expect(ccOnly.status).toBe(400);
    expect(((await json(ccOnly)).error?.fields as Record<string, string[]>).to).toEqual([
      'Give at least one address in "to"; "cc" alone is not enough.',
    ]);
    expect(peer.messages.length).toBe(before);
  });

  it('a mail server refusal is a 502 with the step, the reply and advice', async () => {
    const res = await post({ to: ['gone@example.org'], subject: 'Nobody', text: 'x' });
    expect(res.status).toBe(502);
    expect((await json(res)).error).toMatchObject({
      step: 'rcpt_to',
      reply: { code: 550, enhanced: '5.1.1' },
      advice: { id: 'recipient-rejected' },
    });
    expect(await db.deliveryLog.findFirstOrThrow({ where: { storeId, subject: 'Nobody' } })).toMatchObject({
      ok: false,
      failedStep: 'rcpt_to',
      replyCode: 550,
      replyText: '5.1.1 User unknown',
    });
  });

  it('is rate-limited per key with Retry-After', async () => {
    const { key: busy } = await createApiKey(storeId, 'Busy', 'ann@example.com');
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++)
      statuses.push((await post({ to: ['jane@example.org'], subject: `n${i}`, text: 'x' }, `Bearer ${busy}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    const res = await post({ to: ['jane@example.org'], subject: 'n9', text: 'x' }, `Bearer ${busy}`);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(res)).error?.message).toMatch(/^This key sent 8 notifications in the last minute/);
  });
});

describe('Idempotency-Key', () => {
  const message = { to: ['jane@example.org'], subject: 'Once only', text: 'x' };
  let own = '';
  // A key of its own: the rate limit of the other tests' key is spent.
  beforeAll(async () => void ({ key: own } = await createApiKey(storeId, 'Idempotent', 'ann@example.com')));
  const idem = (k: string) => ({ 'idempotency-key': k });

  it('a retry with the same key and message gets the first answer and sends nothing more', async () => {
    const before = peer.messages.length;
    const first = await post(message, `Bearer ${own}`, idem('retry-1'));
    const again = await post(message, `Bearer ${own}`, idem('retry-1'));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect((await json(again)).messageId).toBe((await json(first)).messageId);
    expect(peer.messages.length).toBe(before + 1);
  });

  it('two concurrent requests with one key send one email', async () => {
    const before = peer.messages.length;
    const statuses = (
      await Promise.all([post(message, `Bearer ${own}`, idem('race-1')), post(message, `Bearer ${own}`, idem('race-1'))])
    )
      .map((r) => r.status)
      .sort();
    // The loser sees 409 "still being sent" (or, had the winner already finished, its replayed 200).
    expect([
      [200, 409],
      [200, 200],
    ]).toContainEqual(statuses);
    expect(peer.messages.length).toBe(before + 1);
    expect((await post(message, `Bearer ${own}`, idem('race-1'))).headers.get('idempotent-replayed')).toBe('true');
  });

  it('the same key for another message is refused; a malformed key too', async () => {
    await post(message, `Bearer ${own}`, idem('reuse-1'));
    const other = await post({ ...message, subject: 'Something else' }, `Bearer ${own}`, idem('reuse-1'));
    expect(other.status).toBe(422);
    expect((await json(other)).error?.message).toMatch(/already used for a different message/);
    expect((await post(message, `Bearer ${own}`, idem('has space'))).status).toBe(400);
  });

  it('a message that failed frees its key, so the corrected retry with the same key is queued and sent', async () => {
    const refused = await post({ ...message, to: ['gone@example.org'] }, `Bearer ${own}`, idem('fix-1'));
    expect(refused.status).toBe(502);
    // Another message under the same key is fine now: nothing was sent for the first one.
    const before = peer.messages.length;
    const fixed = await post(message, `Bearer ${own}`, idem('fix-1'));
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(peer.messages.length).toBe(before + 1);
  });

  it('keys are forgotten after 24 hours', async () => {
    await post(message, `Bearer ${own}`, idem('old-1'));
    await db.apiIdempotency.updateMany({ where: { key: 'old-1' }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const before = peer.messages.length;
    const res = await post(message, `Bearer ${own}`, idem('old-1'));
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(peer.messages.length).toBe(before + 1);
  });
});
