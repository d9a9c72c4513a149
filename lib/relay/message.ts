/**
 * A relayed message on its way into the outbox: the From policy applied to its header, a Received
 * header on top and a Message-ID when it has none. Everything else — body, MIME structure,
 * 8-bit and UTF-8 bytes — goes upstream exactly as the client sent it.
 */
import { newMessageId } from '@/lib/outbox/enqueue';
import { addressesIn, display, field, headerValue, parseMessage, serialise, type HeaderField } from '@/lib/mail/mime';
import type { FromPolicy } from '@/lib/validation/relay';

export type Received = {
  /** what the client said in EHLO */
  helo: string;
  ip: string;
  /** our name */
  by: string;
  /** ESMTP, ESMTPS (TLS), ESMTPSA (TLS and AUTH), ESMTPA */
  protocol: string;
  id: string;
  /** the recipient, named when there is only one */
  for?: string;
  at: Date;
};

export type PreparedMessage = {
  raw: Buffer;
  messageId: string;
  subject: string;
  to: string[];
  cc: string[];
  /** the From header that was replaced (policy "rewrite"), for the log */
  rewrittenFrom?: string;
};

export type Refusal = { refused: string };

/** RFC 5322 date in UTC: "Sat, 28 Nov 2026 21:58:00 +0000". */
const rfc5322Date = (d: Date) => d.toUTCString().replace(/GMT$/, '+0000');

export function receivedField(r: Received, eol = '\r\n'): HeaderField {
  const helo = r.helo.replace(/[^\x21-\x7e]/g, '') || 'unknown';
  return {
    name: 'received',
    raw:
      `Received: from ${helo} ([${r.ip}])${eol}\tby ${r.by} (Mailroom relay) with ${r.protocol} id ${r.id}` +
      `${r.for ? `${eol}\tfor <${r.for}>` : ''};${eol}\t${rfc5322Date(r.at)}`,
  };
}

export function prepareMessage(
  raw: Buffer,
  o: { store: { address: string; name?: string; storeName: string }; fromPolicy: FromPolicy; received: Received },
): PreparedMessage | Refusal {
  const m = parseMessage(raw);
  const own = o.store.address.toLowerCase();
  let fields = [...m.fields];
  let rewrittenFrom: string | undefined;

  const fromValue = headerValue(m, 'from');
  const fromAddresses = addressesIn(fromValue);
  const foreign = fromAddresses.filter((a) => a.toLowerCase() !== own);
  const storeFrom = field(
    'From',
    o.store.name ? `"${o.store.name.replace(/["\\]/g, '')}" <${o.store.address}>` : o.store.address,
  );
  if (!fromValue || !fromAddresses.length) {
    // A message without a usable From gets the store's: the submission server may complete it.
    fields = [...fields.filter((f) => f.name !== 'from'), storeFrom];
  } else if (foreign.length) {
    if (o.fromPolicy === 'refuse')
      return {
        refused:
          `The From header (${display(fromValue)}) is not this store's sender: the relay sends only as ${o.store.address} ` +
          `for “${o.store.storeName}”. Use that address as the sender, or ask an admin to rewrite senders for this credential.`,
      };
    rewrittenFrom = display(fromValue);
    const fromRaw = m.fields.find((f) => f.name === 'from')!.raw;
    const hasReplyTo = m.fields.some((f) => f.name === 'reply-to');
    fields = fields.flatMap((f) => {
      if (f.name === 'from') {
        // The original From becomes Reply-To, so answers still reach the one who wrote it.
        const replyTo: HeaderField[] = hasReplyTo
          ? []
          : [{ name: 'reply-to', raw: `Reply-To:${fromRaw.slice(fromRaw.indexOf(':') + 1)}` }];
        return [storeFrom, ...replyTo];
      }
      // A Sender naming someone else would make the upstream server refuse to send as the store.
      if (f.name === 'sender') return [];
      return [f];
    });
  }

  let messageId = /<[^<>\s]+@[^<>\s]+>/.exec(headerValue(m, 'message-id') ?? '')?.[0];
  if (!messageId) {
    messageId = newMessageId(o.store.address);
    fields = [...fields.filter((f) => f.name !== 'message-id'), field('Message-ID', messageId)];
  }
  fields = [receivedField(o.received, m.eol), ...fields];

  const out = { ...m, fields };
  return {
    raw: serialise(out),
    messageId,
    subject: display(headerValue(m, 'subject') ?? ''),
    to: addressesIn(headerValue(m, 'to')),
    cc: addressesIn(headerValue(m, 'cc')),
    ...(rewrittenFrom && { rewrittenFrom }),
  };
}
