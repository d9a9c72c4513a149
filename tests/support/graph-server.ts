/**
 * A local HTTPS stand-in for Microsoft Graph's sendMail on 127.0.0.1, with its own self-signed
 * certificate: POST /v1.0/users/{id}/sendMail and POST /v1.0/me/sendMail, answering like Graph
 * (202 + request-id, or `{ error: { code, message, innerError } }`). Tokens are checked by the
 * test's `validate` callback, usually wired to the local OAuth server's `issuedFor`.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addressesIn } from '@/lib/mail/mime';
import { parseHeaders } from '@/tests/support/smtp-peer';
import { closeHttpsServer, generateCert, readBody, writeCaFile } from '@/tests/support/tls';

export type GraphTokenCheck =
  { ok: true; user?: string; appOnly: boolean; scope: string } | { ok: false; reason?: 'expired' | 'invalid' };

export type GraphServerOptions = {
  validate: (token: string) => GraphTokenCheck;
  /** The mailboxes that exist; others get 404 ErrorInvalidUser. Absent: every mailbox exists. */
  mailboxes?: string[];
  /** An Exchange application access policy: app-only tokens may send only as these (403 otherwise). */
  appAccessPolicy?: string[];
};

export type GraphFailure = {
  status: number;
  code: string;
  message: string;
  /** seconds, or an HTTP date */ retryAfter?: number | string;
};

type EmailAddress = { emailAddress: { address: string; name?: string } };
export type GraphMessage = {
  subject: string;
  body: { contentType?: string; content: string };
  toRecipients: EmailAddress[];
  ccRecipients?: EmailAddress[];
  from?: EmailAddress;
};

export type ReceivedMail = {
  /** The mailbox sent from: `{id}` of /users/{id}, or the signed-in user for /me (lower case). */
  mailbox: string;
  via: 'me' | 'users';
  /** The token's user; undefined for app-only tokens. */
  user?: string;
  appOnly: boolean;
  scope: string;
  message: GraphMessage;
  saveToSentItems?: boolean;
  /** The MIME message as posted (sendMail with a base64 `text/plain` body), decoded. */
  mime?: string;
  /** The MIME message's Bcc header, which Graph removes before delivery. */
  bcc?: string[];
  /** The `request-id` header of the 202. */
  requestId: string;
  clientRequestId?: string;
};

export type GraphTestServer = {
  /** `https://127.0.0.1:<port>/v1.0`, the Graph endpoint to configure. */
  url: string;
  origin: string;
  caPem: string;
  /** `caPem` as a file, for NODE_EXTRA_CA_CERTS (see combinedCaFile for several servers). */
  caFile: string;
  /** Accepted (202) messages, in order. */
  messages: ReceivedMail[];
  /** Every HTTP request received, answered or not. */
  requests: number;
  /** The next request (whatever it is) gets this answer before any check; queued in order. */
  failNext(f: GraphFailure): void;
  close(): Promise<void>;
};

type Answer = { status: number; code: string; message: string; headers?: Record<string, string> };

const hasGraphScope = (scope: string) => /graph\.microsoft\.com|mail\.send/i.test(scope);
const ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function startGraphServer(options: GraphServerOptions): Promise<GraphTestServer> {
  // Its own certificate, so a test can trust the OAuth server and not this one.
  const { key, cert } = await generateCert('graph.localhost');
  const { dir, caFile } = writeCaFile(cert, 'mailroom-graph-ca-');
  const failures: GraphFailure[] = [];
  const mailboxes = options.mailboxes?.map((m) => m.toLowerCase());
  const policy = options.appAccessPolicy?.map((m) => m.toLowerCase());

  /** The checks in Graph's order: token → route → mailbox exists → permission → payload. */
  function sendMail(
    req: IncomingMessage,
    route: { via: 'me' | 'users'; id?: string },
    raw: string,
  ): Answer | Omit<ReceivedMail, 'requestId' | 'clientRequestId'> {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' };
    const token = options.validate(bearer);
    if (!token.ok) {
      return token.reason === 'expired'
        ? { status: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' }
        : { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' };
    }
    if (!hasGraphScope(token.scope))
      return { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' };

    let mailbox: string;
    if (route.via === 'me') {
      if (token.appOnly || !token.user)
        return { status: 400, code: 'BadRequest', message: '/me request is only valid with delegated authentication flow.' };
      mailbox = token.user.toLowerCase();
      if (mailboxes && !mailboxes.includes(mailbox))
        return {
          status: 404,
          code: 'MailboxNotEnabledForRESTAPI',
          message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
        };
    } else {
      mailbox = (route.id ?? '').toLowerCase();
      if (mailboxes && !mailboxes.includes(mailbox))
        return { status: 404, code: 'ErrorInvalidUser', message: `The requested user '${route.id}' is invalid.` };
    }
    if (token.appOnly) {
      if (policy && !policy.includes(mailbox))
        return {
          status: 403,
          code: 'ErrorAccessDenied',
          message: 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
        };
    } else {
      if (!/mail\.send/i.test(token.scope))
        return { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' };
      if ((token.user ?? '').toLowerCase() !== mailbox)
        return { status: 403, code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' };
    }

    let payload: { message?: Partial<GraphMessage>; saveToSentItems?: unknown; mime?: string; bcc?: string[] };
    if (/^text\/plain/i.test(req.headers['content-type'] ?? '')) {
      const mime = fromMime(raw);
      if (!mime)
        return { status: 400, code: 'ErrorMimeContentInvalidBase64String', message: 'Invalid base64 string for MIME content.' };
      payload = mime;
    } else
      try {
        payload = JSON.parse(raw) as typeof payload;
      } catch {
        return {
          status: 400,
          code: 'BadRequest',
          message:
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
        };
      }
    const m = payload?.message;
    if (!m || typeof m !== 'object') return { status: 400, code: 'BadRequest', message: 'Empty Payload. JSON content expected.' };
    if (typeof m.subject !== 'string' || typeof m.body?.content !== 'string')
      return { status: 400, code: 'BadRequest', message: 'The message must have a subject and a body with content.' };
    const to = Array.isArray(m.toRecipients) ? m.toRecipients : [];
    const cc = Array.isArray(m.ccRecipients) ? m.ccRecipients : [];
    const bad = [...to, ...cc].find((r) => typeof r?.emailAddress?.address !== 'string' || !ADDRESS.test(r.emailAddress.address));
    if (!to.length || bad) {
      const who = bad ? `Recipient '${String(bad?.emailAddress?.address ?? '')}' isn't resolved. ` : '';
      return {
        status: 400,
        code: 'ErrorInvalidRecipients',
        message: `At least one recipient isn't valid., ${who}All recipients must be resolved before a message can be submitted.`,
      };
    }
    const from = m.from?.emailAddress?.address;
    if (from !== undefined && from.toLowerCase() !== mailbox) {
      return {
        status: 403,
        code: 'ErrorSendAsDenied',
        message:
          'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.',
      };
    }
    return {
      mailbox,
      via: route.via,
      user: token.user,
      appOnly: token.appOnly,
      scope: token.scope,
      message: m as GraphMessage,
      ...(typeof payload.saveToSentItems === 'boolean' && { saveToSentItems: payload.saveToSentItems }),
      ...(payload.mime !== undefined && { mime: payload.mime, bcc: payload.bcc ?? [] }),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    server.requests++;
    const raw = await readBody(req);
    const requestId = randomUUID();
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const ids: Record<string, string> = {
      'request-id': requestId,
      ...(clientRequestId && { 'client-request-id': clientRequestId }),
    };

    const failure = failures.shift();
    if (failure) {
      const retry = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : undefined;
      return error(res, { ...failure, headers: retry }, ids);
    }
    const p = new URL(req.url ?? '/', 'https://graph.invalid').pathname;
    const match = /^\/v1\.0\/(?:(me)|users\/([^/]+))\/sendMail$/i.exec(p);
    if (!match)
      return error(
        res,
        {
          status: 400,
          code: 'BadRequest',
          message: `Resource not found for the segment '${p.split('/').filter(Boolean).pop() ?? ''}'.`,
        },
        ids,
      );
    if (req.method !== 'POST')
      return error(
        res,
        { status: 405, code: 'Request_BadRequest', message: `The HTTP method '${req.method}' is not allowed for sendMail.` },
        ids,
      );

    const outcome = sendMail(req, match[1] ? { via: 'me' } : { via: 'users', id: decodeURIComponent(match[2]) }, raw);
    if ('status' in outcome) return error(res, outcome, ids);
    server.messages.push({ ...outcome, requestId, ...(clientRequestId && { clientRequestId }) });
    res.writeHead(202, { ...ids, 'cache-control': 'private', 'content-length': '0' });
    res.end();
  }

  const httpsServer = https.createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((e: unknown) =>
      error(res, { status: 500, code: 'InternalServerError', message: e instanceof Error ? e.message : String(e) }, {}),
    );
  });
  await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(httpsServer.address() as AddressInfo).port}`;

  const server: GraphTestServer = {
    url: `${origin}/v1.0`,
    origin,
    caPem: cert,
    caFile,
    messages: [],
    requests: 0,
    failNext: (f) => void failures.push(f),
    close: () => closeHttpsServer(httpsServer, dir),
  };
  return server;
}

function error(res: ServerResponse, a: Answer, ids: Record<string, string>) {
  const innerError = { date: new Date().toISOString().slice(0, 19), ...ids };
  const body = JSON.stringify({ error: { code: a.code, message: a.message, innerError } });
  res.writeHead(a.status, { 'content-type': 'application/json', 'cache-control': 'private', ...ids, ...a.headers });
  res.end(body);
}

/** A base64 MIME body as Graph reads it: recipients from To, Cc and Bcc, the sender from From. */
function fromMime(raw: string): { message: Partial<GraphMessage>; mime: string; bcc: string[] } | undefined {
  const b64 = raw.replace(/\s+/g, '');
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  const mime = Buffer.from(b64, 'base64').toString('utf8');
  const { headers, body } = parseHeaders(mime.replace(/\r?\n/g, '\r\n'));
  const list = (h: string) => addressesIn(headers[h]).map((address) => ({ emailAddress: { address } }));
  const from = addressesIn(headers.from)[0];
  const bcc = addressesIn(headers.bcc);
  return {
    mime,
    bcc,
    message: {
      subject: headers.subject ?? '',
      body: { content: body },
      toRecipients: [...list('to'), ...list('cc'), ...bcc.map((address) => ({ emailAddress: { address } }))],
      ...(from && { from: { emailAddress: { address: from } } }),
    },
  };
}
