/**
 * Test Server over Microsoft Graph: resolve the endpoint host and check the destination policy →
 * get an access token → POST …/sendMail → 202 Accepted, explaining the first failure like the
 * SMTP engine (test-send.ts) does. https://learn.microsoft.com/en-us/graph/api/user-sendmail
 */
import { randomUUID } from 'node:crypto';
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { logger } from '@/lib/log';
import { toAsciiEmail } from '@/lib/validation/primitives';
import { adviseFor } from '@/lib/mail/advice';
import { classifyTls, seconds } from '@/lib/mail/classify';
import { StepRecorder } from '@/lib/mail/steps';
import { Deadline, MAX_LIMITS, resolveLimits } from '@/lib/mail/limits';
import { validateMessage, type MessageFields } from '@/lib/mail/message';
import { checkDestination } from '@/lib/mail/policy';
import { scrubSecrets, Transcript } from '@/lib/mail/transcript';
import { GRAPH_STEP_ORDER, SmtpTestError, type DestinationPolicy, type SmtpReply, type Step, type StepName, type TestMessage, type TestResult } from '@/lib/mail/types';

export type GraphTarget = {
  /** API root with its version, e.g. https://graph.microsoft.com/v1.0 */
  endpoint: string;
  /** The mailbox sent from (UPN or object ID); ignored in the URL when `delegated`. */
  sender: string;
  /** true → POST {endpoint}/me/sendMail (signed-in user), false → {endpoint}/users/{sender}/sendMail (app-only). */
  delegated: boolean;
  /** Whole-test limit; never above 30 s (SECURITY.md 14). */
  totalMs?: number;
};

export type GraphRunOptions = { policy: DestinationPolicy; onStep?: (step: Step) => void; signal?: AbortSignal };

/** Longest Retry-After the interactive test waits out before its single retry. */
const MAX_RETRY_WAIT_S = 10;
/** Time the retried request itself needs inside the remaining budget. */
const RETRY_MARGIN_MS = 2_000;
/** Graph error bodies are small; a hostile endpoint must not make us buffer megabytes. */
const MAX_BODY_BYTES = 64 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A non-202 answer: the HTTP status and Graph's `{ error: { code, message } }` as the reply. */
class GraphHttpError extends SmtpTestError {
  constructor(errorCode: string, detail: string, readonly reply: SmtpReply, readonly retryAfterS?: number) {
    super(errorCode, detail, 'request');
  }
}

type Exchange = { status: number; statusText: string; headers: Headers; error?: { code: string; message: string } };

export async function runGraphTest(target: GraphTarget, accessToken: () => Promise<string>, message: TestMessage, opts: GraphRunOptions): Promise<TestResult> {
  const started = performance.now();
  const totalMs = resolveLimits({ totalMs: target.totalMs }).totalMs;
  const secrets: string[] = [];
  const steps = new StepRecorder(opts.onStep, (d) => scrubSecrets(d, secrets), GRAPH_STEP_ORDER);
  const transcript = new Transcript();
  const http = new AbortController();
  const deadline = new Deadline(totalMs, opts.signal, () => http.abort());
  let requests = 0;
  let host = ''; // set once the endpoint parses: the raw value may carry credentials

  try {
    const endpoint = parseEndpoint(target.endpoint);
    host = endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
    const url = sendMailUrl(endpoint, target);
    const fields = validateFields(message);

    const addresses = await deadline.race(resolveHost(host));
    const port = Number(endpoint.port) || 443;
    // Graph is always https: only the host allow/deny lists apply, not SMTP_ALLOWED_PORTS.
    const verdict = checkDestination(host, addresses, port, { ...opts.policy, allowedPorts: [port] });
    if (!verdict.ok) throw new SmtpTestError(verdict.errorCode, verdict.detail, 'resolve');
    steps.ok('resolve', `${isIP(host) ? `${host} is an IP address; no DNS lookup needed` : `${host} resolves to ${addresses.join(', ')}`}; allowed by the destination policy.`);

    const token = await getToken(accessToken, deadline);
    secrets.push(token);
    steps.ok('token', `Access token obtained (${target.delegated ? 'delegated: sends as the signed-in user' : `app-only: sends as ${target.sender}`}).`);

    const body = JSON.stringify(graphBody(fields, target.sender));
    const post = async () => {
      requests++;
      return deadline.race(exchange(url, token, body, summary(fields, target.sender), transcript, http.signal));
    };
    let res = await post();
    if (res.status === 429) {
      const wait = retryAfterSeconds(res.headers.get('retry-after'));
      const remaining = totalMs - (performance.now() - started);
      if (wait !== undefined && wait <= MAX_RETRY_WAIT_S && wait * 1000 + RETRY_MARGIN_MS <= remaining) {
        transcript.note(`Throttled (429): waiting ${wait} s as Retry-After asks, then retrying once.`);
        await deadline.race(delay(wait * 1000, undefined, { signal: http.signal }));
        res = await post();
        if (res.status === 429) throw httpFailure(res, `still throttled after waiting ${wait} s and retrying once`);
      } else {
        throw httpFailure(res, wait === undefined ? 'no Retry-After was given, so it was not retried' : `that is longer than this test waits (${MAX_RETRY_WAIT_S} s at most, within its ${seconds(totalMs)} limit), so it was not retried`);
      }
    }
    if (res.status !== 202) throw httpFailure(res);

    const queueId = res.headers.get('request-id') ?? res.headers.get('client-request-id') ?? undefined;
    steps.ok('request', `POST ${url} answered 202 Accepted${requests > 1 ? ' (after one retry)' : ''}.`);
    steps.ok('accepted', `Microsoft Graph accepted the message for delivery${queueId ? `; request-id ${queueId}` : ''}.`);
    return finish({ ok: true, reply: { code: 202, text: 'Accepted' }, ...(queueId && { queueId }) });
  } catch (error) {
    http.abort();
    const c = classify(error, steps.current ?? 'accepted', host);
    const failedStep = steps.fail(c.detail, c.step);
    const reply = error instanceof GraphHttpError ? error.reply : undefined;
    let advice = adviseFor({ step: failedStep, errorCode: c.errorCode, code: reply?.code, text: `${reply?.text ?? ''} ${c.detail}` });
    if (error instanceof GraphHttpError && error.retryAfterS !== undefined) {
      advice = { ...advice, detail: `Microsoft Graph asked to wait ${error.retryAfterS} s (Retry-After) before trying again. ${advice.detail}` };
    }
    return finish({ ok: false, failedStep, errorCode: c.errorCode, advice, ...(reply && { reply }) });
  } finally {
    deadline.clear();
  }

  function finish(part: Omit<TestResult, 'steps' | 'transcript' | 'durationMs' | 'connections' | 'transport'>): TestResult {
    const result: TestResult = {
      transport: 'graph',
      ...part,
      steps: steps.steps,
      transcript: transcript.lines(),
      durationMs: Math.round(performance.now() - started),
      connections: requests,
    };
    logger.info({ endpointHost: host, delegated: target.delegated, ok: result.ok, failedStep: result.failedStep, errorCode: result.errorCode, ms: result.durationMs }, 'graph test finished');
    return scrubSecrets(result, secrets);
  }
}

function parseEndpoint(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SmtpTestError('EGRAPH_ENDPOINT', `"${raw}" is not a URL; enter e.g. https://graph.microsoft.com/v1.0.`, 'resolve');
  }
  if (url.protocol !== 'https:') throw new SmtpTestError('EGRAPH_ENDPOINT', `The Graph endpoint must use https, not ${url.protocol.replace(':', '')}.`, 'resolve');
  if (url.username || url.password || url.search || url.hash) {
    throw new SmtpTestError('EGRAPH_ENDPOINT', 'The Graph endpoint must not contain credentials, a query or a fragment.', 'resolve');
  }
  return url;
}

function sendMailUrl(endpoint: URL, target: GraphTarget): string {
  const base = endpoint.href.replace(/\/+$/, '');
  if (target.delegated) return `${base}/me/sendMail`;
  const sender = target.sender.trim();
  const id = GUID.test(sender) ? sender.toLowerCase() : toAsciiEmail(sender);
  if (!id) throw new SmtpTestError('EADDRESS', `The sender mailbox "${sender}" is neither an email address (UPN) nor an object ID.`, 'request');
  return `${base}/users/${encodeURIComponent(id)}/sendMail`;
}

/** message.ts's checks (control characters, addresses); its SMTP step names become 'request'. */
function validateFields(message: TestMessage): MessageFields {
  try {
    return validateMessage(message);
  } catch (e) {
    if (e instanceof SmtpTestError) throw new SmtpTestError(e.errorCode, e.message, 'request');
    throw e;
  }
}

async function resolveHost(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SmtpTestError('EGRAPH_DNS', `DNS lookup of ${host} did not answer within ${seconds(MAX_LIMITS.connectMs)}.`, 'resolve')), MAX_LIMITS.connectMs);
  });
  try {
    const found = await Promise.race([dns.lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } catch (e) {
    if (e instanceof SmtpTestError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new SmtpTestError('EGRAPH_DNS', `DNS lookup of ${host} failed (${code || (e as Error).message}).`, 'resolve');
  } finally {
    clearTimeout(timer);
  }
}

async function getToken(accessToken: () => Promise<string>, deadline: Deadline): Promise<string> {
  try {
    const token = await deadline.race(accessToken());
    if (!token) throw new Error('the token source returned an empty token');
    return token;
  } catch (e) {
    if (e instanceof SmtpTestError) {
      if (['ETOTAL', 'ECANCELLED'].includes(e.errorCode)) throw e;
      // Token sources written for SMTP report their failures at 'auth'; here that is 'token'.
      const step = e.step && GRAPH_STEP_ORDER.indexOf(e.step) > GRAPH_STEP_ORDER.indexOf('token') ? e.step : 'token';
      throw new SmtpTestError(e.errorCode, e.message, step, e.response);
    }
    throw new SmtpTestError('ETOKEN', `Could not get an access token: ${e instanceof Error ? e.message : String(e)}`, 'token');
  }
}

function graphBody(f: MessageFields, sender: string) {
  const sameAsSender = f.from.address.toLowerCase() === sender.trim().toLowerCase();
  return {
    message: {
      subject: f.subject,
      // Graph takes one body: the HTML one when there is one.
      body: f.html ? { contentType: 'HTML', content: f.html } : { contentType: 'Text', content: f.text },
      toRecipients: f.to.map((address) => ({ emailAddress: { address } })),
      ...(f.cc.length && { ccRecipients: f.cc.map((address) => ({ emailAddress: { address } })) }),
      ...((f.from.name || !sameAsSender) && { from: { emailAddress: { address: f.from.address, ...(f.from.name && { name: f.from.name }) } } }),
    },
    saveToSentItems: false,
  };
}

function summary(f: MessageFields, sender: string): string {
  const from = graphBody(f, sender).message.from ? `, from ${f.from.name ? `"${f.from.name}" ` : ''}<${f.from.address}>` : '';
  const cc = f.cc.length ? `, cc <${f.cc.join('>, <')}>` : '';
  return `{ message: subject "${f.subject}", to <${f.to.join('>, <')}>${cc}${from}, [body: ${(f.html ?? f.text).length} chars${f.html ? ', HTML' : ''}] }, saveToSentItems: false`;
}

async function exchange(url: string, token: string, body: string, bodySummary: string, transcript: Transcript, signal: AbortSignal): Promise<Exchange> {
  const clientRequestId = randomUUID();
  transcript.client(`POST ${url}`);
  transcript.client('Authorization: Bearer ****');
  transcript.client('Content-Type: application/json');
  transcript.client(`client-request-id: ${clientRequestId}`);
  transcript.client(bodySummary);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', 'client-request-id': clientRequestId, 'return-client-request-id': 'true' },
      body,
      // Never follow a redirect: the policy checked this host, not wherever a redirect points.
      redirect: 'manual',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    throw networkFailure(e, new URL(url).host);
  }
  transcript.server(`HTTP ${res.status} ${res.statusText}`.trim());
  for (const h of ['request-id', 'client-request-id', 'retry-after']) {
    const v = res.headers.get(h);
    if (v) transcript.server(`${h}: ${v}`);
  }
  const raw = await readCapped(res);
  const error = graphError(raw);
  if (error) transcript.server(JSON.stringify({ error }));
  else if (raw.trim()) transcript.server(`[body: ${raw.length} chars] ${raw.slice(0, 200).replace(/\s+/g, ' ')}`);
  return { status: res.status, statusText: res.statusText, headers: res.headers, ...(error && { error }) };
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

function graphError(raw: string): { code: string; message: string } | undefined {
  try {
    const e = (JSON.parse(raw) as { error?: { code?: unknown; message?: unknown } }).error;
    if (e && typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : '' };
  } catch {
    // not JSON: the status line and the raw body explain it
  }
  return undefined;
}

/** Seconds from `Retry-After` (delta-seconds or an HTTP date), or undefined when absent/unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  // An HTTP date names its weekday/month; V8 would also read "-5" or "2026" as dates.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function httpFailure(res: Exchange, why?: string): GraphHttpError {
  const s = res.status;
  const errorCode = [400, 401, 403, 404, 429].includes(s) ? `EGRAPH_${s}` : s >= 500 ? 'EGRAPH_5XX' : s >= 400 ? 'EGRAPH_4XX' : 'EGRAPH_UNEXPECTED';
  const graph = res.error ? `${res.error.code}: ${res.error.message}` : (res.statusText || `HTTP ${s}`);
  const reply: SmtpReply = { code: s, text: graph };
  if (errorCode === 'EGRAPH_429') {
    const wait = retryAfterSeconds(res.headers.get('retry-after'));
    return new GraphHttpError(errorCode, `Microsoft Graph throttled the request (429 ${graph})${wait !== undefined ? `; Retry-After ${wait} s` : ''}; ${why ?? 'not retried'}.`, reply, wait);
  }
  if (errorCode === 'EGRAPH_UNEXPECTED') {
    const where = res.headers.get('location') ? ` (redirect to ${res.headers.get('location')})` : '';
    return new GraphHttpError(errorCode, `Expected 202 Accepted, got ${s} ${res.statusText}${where}: the message may not have been sent.`.replace(/\s+:/, ':'), reply);
  }
  return new GraphHttpError(errorCode, `Microsoft Graph answered ${s} ${res.statusText}: ${graph}`.replace(/\s+:/, ':'), reply);
}

function networkFailure(error: unknown, where: string): SmtpTestError {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: string }).code ?? '';
  const message = cause instanceof Error ? cause.message : String(cause);
  const tls = classifyTls(message, code);
  if (tls || /^ERR_(SSL|TLS)_|^EPROTO$/.test(code)) {
    return new SmtpTestError('EGRAPH_TLS', `TLS to ${where} failed: ${tls?.reason ?? message} (${code || message}).`, 'request');
  }
  return new SmtpTestError('EGRAPH_NETWORK', `Could not reach ${where} (${code || message}).`, 'request');
}

function classify(error: unknown, current: StepName, host: string): { errorCode: string; detail: string; step?: StepName } {
  if (error instanceof SmtpTestError) return { errorCode: error.errorCode, detail: error.message, ...(error.step && { step: error.step }) };
  const message = error instanceof Error ? error.message : String(error);
  return current === 'resolve'
    ? { errorCode: 'EGRAPH_DNS', detail: `Could not resolve ${host} (${message}).` }
    : { errorCode: 'EUNKNOWN', detail: message || 'Unknown error.' };
}
