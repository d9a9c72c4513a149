/**
 * The one way into the outbox, for the send API, the SMTP relay and alerts: the message is
 * validated, given its Message-ID, encrypted and written together with its first delivery job in
 * one transaction. Once this returns, the message is durable.
 */
import { randomUUID } from 'node:crypto';
import { sealSecret } from '@/lib/crypto';
import { db } from '@/lib/db';
import { getJobEngine } from '@/lib/jobs';
import { validateMessage } from '@/lib/mail/message';
import { wakeWorkers } from '@/lib/outbox/signals';
import type { OutboxKind, StoredBody } from '@/lib/outbox/types';

export type Origin = {
  kind: OutboxKind;
  /** Shown in lists: API key “helpdesk” (mr_3f9a…), relay user “printer”, Alerts. */
  source: string;
  apiKeyId?: string;
  relayCredentialId?: string;
  clientAddress?: string;
};

/** A message composed from fields (send API, alerts). */
export type ComposedInput = {
  from: { address: string; name?: string };
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
};

/** A message as received by the relay: MIME bytes and the envelope. */
export type RawInput = {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  messageId: string;
  subject: string;
  /** Header To / Cc, for lists; the envelope decides who receives it. */
  to?: string[];
  cc?: string[];
};

export type Enqueued = { id: string; messageId: string; state: 'queued'; createdAt: Date };

/** `<uuid@domain-of-the-sender>`, like nodemailer's own. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'mailroom.invalid';
  return `<${randomUUID()}@${domain}>`;
}

function rowFor(id: string, storeId: string, origin: Origin, input: ComposedInput | RawInput) {
  if ('raw' in input) {
    const body: StoredBody = { raw: input.raw.toString('base64') };
    return {
      messageId: input.messageId,
      envelopeFrom: input.envelope.from,
      toAddresses: JSON.stringify(input.to ?? []),
      ccAddresses: JSON.stringify(input.cc ?? []),
      recipients: JSON.stringify(input.envelope.to),
      recipientCount: input.envelope.to.length,
      subject: input.subject.slice(0, 998),
      bodyEnc: sealSecret(id, 'body', JSON.stringify(body)),
      bodyBytes: input.raw.length,
    };
  }
  // Throws a SendError (EHEADER / EADDRESS) for header injection or a bad address: nothing is queued.
  const fields = validateMessage({
    from: input.from,
    to: input.to,
    cc: input.cc ?? [],
    subject: input.subject,
    text: input.text,
    html: input.html,
  });
  const body: StoredBody = { text: fields.text, ...(fields.html && { html: fields.html }) };
  const json = JSON.stringify({ ...body, fromName: fields.from.name });
  return {
    messageId: newMessageId(fields.from.address),
    envelopeFrom: fields.from.address,
    toAddresses: JSON.stringify(fields.to),
    ccAddresses: JSON.stringify(fields.cc),
    recipients: JSON.stringify([...fields.to, ...fields.cc]),
    recipientCount: fields.to.length + fields.cc.length,
    subject: fields.subject,
    bodyEnc: sealSecret(id, 'body', json),
    bodyBytes: Buffer.byteLength(json),
  };
}

export async function enqueue(storeId: string, origin: Origin, input: ComposedInput | RawInput): Promise<Enqueued> {
  const id = randomUUID();
  const row = rowFor(id, storeId, origin, input);
  const engine = await getJobEngine();
  const now = new Date();
  const created = await db.$transaction(async (tx) => {
    const message = await tx.outboxMessage.create({
      data: {
        id,
        storeId,
        kind: origin.kind,
        source: origin.source.slice(0, 200),
        apiKeyId: origin.apiKeyId ?? null,
        relayCredentialId: origin.relayCredentialId ?? null,
        clientAddress: origin.clientAddress ?? '',
        nextAttemptAt: now,
        ...row,
      },
      select: { id: true, messageId: true, createdAt: true },
    });
    await engine.scheduleDelivery(storeId, id, now, tx);
    return message;
  });
  wakeWorkers();
  return { ...created, state: 'queued' };
}
