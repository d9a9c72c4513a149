/** What the Graph engine posts: the endpoint and sendMail URL, the JSON body, and its one-line transcript summary. */
import { isGuid, toAsciiEmail } from '@/lib/mail/address';
import type { MessageFields } from '@/lib/mail/message';
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
