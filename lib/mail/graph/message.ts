/** What the Graph engine posts: the endpoint and sendMail URL, the JSON body, and its one-line transcript summary. */
import { isGuid, toAsciiEmail } from '@/lib/mail/address';
import type { GraphPayload } from '@/lib/mail/graph/request';
import type { MessageFields } from '@/lib/mail/message';
import { addressesIn, field, headerValue, parseMessage, serialise } from '@/lib/mail/mime';
import { SendError, type GraphSettings } from '@/lib/mail/types';

export function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SendError('EGRAPH_ENDPOINT', `"${raw}" is not a URL; enter e.g. https://graph.microsoft.com/v1.0.`, 'resolve');
  }
  if (url.protocol !== 'https:')
    throw new SendError('EGRAPH_ENDPOINT', `The Graph endpoint must use https, not ${url.protocol.replace(':', '')}.`, 'resolve');
  if (url.username || url.password || url.search || url.hash) {
    throw new SendError('EGRAPH_ENDPOINT', 'The Graph endpoint must not contain credentials, a query or a fragment.', 'resolve');
  }
  return url;
}

export function sendMailUrl(endpoint: URL, settings: GraphSettings): string {
  const base = endpoint.href.replace(/\/+$/, '');
  if (settings.delegated) return `${base}/me/sendMail`;
  const sender = settings.sender.trim();
  const id = isGuid(sender) ? sender.toLowerCase() : toAsciiEmail(sender);
  if (!id)
    throw new SendError(
      'EADDRESS',
      `The sender mailbox "${sender}" is neither an email address (UPN) nor an object ID.`,
      'request',
    );
  return `${base}/users/${encodeURIComponent(id)}/sendMail`;
}

export function graphBody(f: MessageFields, sender: string) {
  const sameAsSender = f.from.address.toLowerCase() === sender.trim().toLowerCase();
  return {
    message: {
      subject: f.subject,
      // Graph takes one body: the HTML one when there is one.
      body: f.html ? { contentType: 'HTML', content: f.html } : { contentType: 'Text', content: f.text },
      toRecipients: f.to.map((address) => ({ emailAddress: { address } })),
      ...(f.cc.length && { ccRecipients: f.cc.map((address) => ({ emailAddress: { address } })) }),
      ...((f.from.name || !sameAsSender) && {
        from: { emailAddress: { address: f.from.address, ...(f.from.name && { name: f.from.name }) } },
      }),
    },
    saveToSentItems: false,
  };
}

export function summary(f: MessageFields, sender: string): string {
  const from = graphBody(f, sender).message.from ? `, from ${f.from.name ? `"${f.from.name}" ` : ''}<${f.from.address}>` : '';
  const cc = f.cc.length ? `, cc <${f.cc.join('>, <')}>` : '';
  return `{ message: subject "${f.subject}", to <${f.to.join('>, <')}>${cc}${from}, [body: ${(f.html ?? f.text).length} chars${f.html ? ', HTML' : ''}] }, saveToSentItems: false`;
}

export function jsonPayload(f: MessageFields, sender: string): GraphPayload {
  return { content: JSON.stringify(graphBody(f, sender)), contentType: 'application/json', summary: summary(f, sender) };
}

/** A message as MIME bytes with its SMTP envelope (the relay's). */
export type MimeMessage = { mime: Buffer; envelope: { from: string; to: string[] } };

/**
 * sendMail with a MIME body (base64, `Content-Type: text/plain`). Graph takes the recipients from
 * the To, Cc and Bcc headers, not from an envelope: envelope recipients that no header names (the
 * SMTP client's Bcc) are added as a Bcc header, which Graph removes before delivery.
 */
export function mimePayload(m: MimeMessage): GraphPayload {
  const parsed = parseMessage(m.mime);
  const named = new Set(['to', 'cc', 'bcc'].flatMap((h) => addressesIn(headerValue(parsed, h)).map((a) => a.toLowerCase())));
  const unnamed = m.envelope.to.filter((a) => !named.has(a.toLowerCase()));
  const mime = unnamed.length ? serialise({ ...parsed, fields: [...parsed.fields, field('Bcc', unnamed.join(', '))] }) : m.mime;
  return {
    content: mime.toString('base64'),
    contentType: 'text/plain',
    summary: `[MIME message: ${mime.length} bytes, base64; envelope to <${m.envelope.to.join('>, <')}>]`,
  };
}
