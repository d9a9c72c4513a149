import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressesIn, display, headerValue, parseMessage } from '@/lib/mail/mime';
import { mimePayload } from '@/lib/mail/graph/message';
import { ipFamily } from '@/lib/net/ip-syntax';
import { prepareMessage } from '@/lib/relay/message';

const store = { address: 'helpdesk@example.com', name: 'IT Helpdesk', storeName: 'Contoso' };
const received = { helo: 'client.test', ip: '192.0.2.7', by: 'relay.test', protocol: 'ESMTPSA', id: 'abc', at: new Date(0) };
const msg = (head: string[], body = 'Body\r\n') => Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`, 'utf8');

describe('MIME headers', () => {
  it('reads address lists with display names, quotes, comments and groups', () => {
    expect(addressesIn('"Doe, Jane" <jane@example.org>, bob@example.org (Bob), Team: a@x.org, b@x.org;')).toEqual([
      'jane@example.org',
      'bob@example.org',
      'a@x.org',
      'b@x.org',
    ]);
    expect(addressesIn(undefined)).toEqual([]);
  });

  it('decodes encoded words and raw UTF-8 for display', () => {
    expect(display('=?UTF-8?B?UGFzc3dvcnQgbMOkdWZ0IGFi?= =?UTF-8?Q?_=E2=9C=93?=')).toBe('Passwort läuft ab ✓');
    expect(display(Buffer.from('Grüße', 'utf8').toString('latin1'))).toBe('Grüße');
  });

  it('unfolds folded headers and keeps the body bytes', () => {
    const m = parseMessage(Buffer.from('Subject: one\r\n two\r\nX: y\r\n\r\n\xff\xfe', 'latin1'));
    expect(headerValue(m, 'subject')).toBe('one two');
    expect([...m.body]).toEqual([0xff, 0xfe]);
  });
});

describe('a relayed message on its way in', () => {
  it('gets a Received header on top and a Message-ID when it has none; the rest is unchanged', () => {
    const raw = msg(['From: helpdesk@example.com', 'To: jane@example.org', 'Subject: Hi']);
    const p = prepareMessage(raw, { store, fromPolicy: 'refuse', received });
    if ('refused' in p) throw new Error(p.refused);
    const text = p.raw.toString('utf8');
    expect(
      text.startsWith('Received: from client.test ([192.0.2.7])\r\n\tby relay.test (Mailroom relay) with ESMTPSA id abc;'),
    ).toBe(true);
    expect(p.messageId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    expect(text).toContain(`Message-ID: ${p.messageId}\r\n`);
    expect(text.endsWith('Subject: Hi\r\nMessage-ID: ' + p.messageId + '\r\n\r\nBody\r\n')).toBe(true);
  });

  it('keeps an existing Message-ID', () => {
    const p = prepareMessage(msg(['From: helpdesk@example.com', 'Message-ID: <a@b.c>']), {
      store,
      fromPolicy: 'refuse',
      received,
    });
    expect('messageId' in p && p.messageId).toBe('<a@b.c>');
  });

  it('refuse: another From header is refused with the reason', () => {
    const p = prepareMessage(msg(['From: Boss <boss@else.example>']), { store, fromPolicy: 'refuse', received });
    expect('refused' in p && p.refused).toMatch(/^The From header \(Boss <boss@else\.example>\) is not this store's sender/);
  });

  it('rewrite: From becomes the store’s, the original goes to Reply-To, a foreign Sender is dropped', () => {
    const p = prepareMessage(msg(['From: "Scanner" <scan@printers.local>', 'Sender: scan@printers.local', 'Subject: Scan']), {
      store,
      fromPolicy: 'rewrite',
      received,
    });
    if ('refused' in p) throw new Error(p.refused);
    const m = parseMessage(p.raw);
    expect(headerValue(m, 'from')).toBe('"IT Helpdesk" <helpdesk@example.com>');
    expect(headerValue(m, 'reply-to')).toBe('"Scanner" <scan@printers.local>');
    expect(headerValue(m, 'sender')).toBeUndefined();
    expect(p.rewrittenFrom).toBe('"Scanner" <scan@printers.local>');
  });

  it('for Graph: envelope recipients that no header names are added as Bcc', () => {
    const raw = msg(['From: helpdesk@example.com', 'To: jane@example.org', 'Cc: Bob <bob@example.org>']);
    const payload = mimePayload({
      mime: raw,
      envelope: { from: 'helpdesk@example.com', to: ['jane@example.org', 'BOB@example.org', 'hidden@example.org'] },
    });
    const sent = Buffer.from(payload.content, 'base64').toString('utf8');
    expect(payload.contentType).toBe('text/plain');
    expect(headerValue(parseMessage(Buffer.from(sent)), 'bcc')).toBe('hidden@example.org');
    expect(mimePayload({ mime: raw, envelope: { from: 'x@y.z', to: ['jane@example.org'] } }).content).toBe(
      raw.toString('base64'),
    );
  });
});

describe('IP syntax without node:net', () => {
  it('agrees with node:net isIP', () => {
    for (const v of [
      '1.2.3.4',
      '255.255.255.255',
      '256.1.1.1',
      '01.2.3.4',
      '1.2.3',
      '::',
      '::1',
      '2001:db8::1',
      '::ffff:1.2.3.4',
      '1:2',
      'abc',
      'g::1',
      '',
    ])
      expect([v, ipFamily(v)]).toEqual([v, isIP(v)]);
  });
});
