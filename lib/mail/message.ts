/**
 * The outgoing message, built by nodemailer's MailComposer (what the transport itself uses) so Date,
 * Message-ID (domain of the From address) and an encoded From display name are right.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { toAsciiEmail } from '@/lib/mail/address';
import { BODY_CONTROL, HEADER_CONTROL } from '@/lib/mail/control-chars';
import { MAX_RECIPIENTS, SendError, type StepName, type OutgoingMessage } from '@/lib/mail/types';

export type ComposedMessage = {
  raw: Buffer;
  envelope: { from: string; to: string[] };
  messageId: string;
  /** The same values the message was built from, for a transport that composes itself (bareSend). */
  fields: { from: { name: string; address: string }; to: string[]; cc: string[]; subject: string; text: string; html?: string };
};

/** Header values are checked for CR/LF and control characters: header injection (docs/security.md#header-injection). */
type Field = { label: string; value: string; step: StepName };

function rejectControl(fields: Field[]): void {
  for (const f of fields) {
    if (HEADER_CONTROL.test(f.value)) {
      throw new SendError('EHEADER', `${f.label} contains a line break or another control character; it was not sent.`, f.step);
    }
  }
}

function asciiAddress(value: string, label: string, step: StepName): string {
  const ascii = toAsciiEmail(value);
  if (!ascii) throw new SendError('EADDRESS', `${label} "${value.trim()}" is not a valid email address.`, step);
  return ascii;
}

export type MessageFields = ComposedMessage['fields'];

/** Rejects control characters in every header value and invalid addresses; IDN domains become punycode. */
export function validateMessage(message: OutgoingMessage): MessageFields {
  const name = message.from.name ?? '';
  const to = typeof message.to === 'string' ? [message.to] : message.to;
  const cc = message.cc ?? [];
  rejectControl([
    { label: 'The From address', value: message.from.address, step: 'mail_from' },
    { label: 'The sender name', value: name, step: 'mail_from' },
    ...[...to, ...cc].map((value) => ({ label: 'The recipient', value, step: 'rcpt_to' as const })),
    { label: 'The subject', value: message.subject, step: 'data' },
  ]);
  if (!to.length) throw new SendError('EADDRESS', 'The message has no recipient.', 'rcpt_to');
  if (to.length + cc.length > MAX_RECIPIENTS) {
    throw new SendError(
      'EADDRESS',
      `The message has ${to.length + cc.length} recipients; at most ${MAX_RECIPIENTS} are allowed.`,
      'rcpt_to',
    );
  }
  if (BODY_CONTROL.test(message.text) || BODY_CONTROL.test(message.html ?? '')) {
    throw new SendError('EHEADER', 'The message text contains control characters; it was not sent.', 'data');
  }
  return {
    from: { name: name.trim(), address: asciiAddress(message.from.address, 'The From address', 'mail_from') },
    to: to.map((a) => asciiAddress(a, 'The recipient', 'rcpt_to')),
    cc: cc.map((a) => asciiAddress(a, 'The Cc recipient', 'rcpt_to')),
    subject: message.subject.trim(),
    text: message.text,
    ...(message.html && { html: message.html }),
  };
}

/** The validated fields as nodemailer's message options (MailComposer here, sendMail in bare-send.ts). */
export function mailOptions(fields: MessageFields) {
  return {
    from: fields.from.name ? fields.from : fields.from.address,
    to: fields.to,
    ...(fields.cc.length && { cc: fields.cc }),
    subject: fields.subject,
    text: fields.text,
    ...(fields.html && { html: fields.html }),
  };
}

/** Validates before anything touches the network, then builds the MIME message. */
export async function composeMessage(message: OutgoingMessage): Promise<ComposedMessage> {
  const fields = validateMessage(message);
  const node = new MailComposer({ ...mailOptions(fields), date: new Date() }).compile();
  const messageId = node.messageId();
  const envelope = node.getEnvelope();
  const raw = await node.build();
  return { raw, envelope: { from: envelope.from || fields.from.address, to: envelope.to }, messageId, fields };
}
