/**
 * The Microsoft Graph engine: resolve the endpoint host and check the destination policy → get an
 * access token → POST …/sendMail → 202 Accepted, explaining the first failure like the SMTP engine
 * (lib/mail/smtp-send.ts) does. https://learn.microsoft.com/en-us/graph/api/user-sendmail
 */
import { isIP } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { adviseFor } from '@/lib/mail/advice';
import { seconds } from '@/lib/mail/classify';
import { jsonPayload, mimePayload, parseEndpoint, sendMailUrl, type MimeMessage } from '@/lib/mail/graph/message';
import { exchange, GraphHttpError, httpFailure, retryAfterSeconds, type GraphPayload } from '@/lib/mail/graph/request';
import { Deadline, MAX_LIMITS, resolveLimits } from '@/lib/mail/limits';
import { validateMessage, type MessageFields } from '@/lib/mail/message';
import { checkDestination } from '@/lib/net/policy';
import { resolveHost } from '@/lib/mail/resolve';
import { finishSend, type ResultPart } from '@/lib/mail/result';
import { StepRecorder } from '@/lib/mail/steps';
import { obtainToken } from '@/lib/mail/token';
import { Transcript } from '@/lib/mail/transcript';
import {
  GRAPH_STEP_ORDER,
  SendError,
  type GraphSettings,
  type OutgoingMessage,
  type SendOptions,
  type SendResult,
  type StepName,
} from '@/lib/mail/types';

/** Longest Retry-After the interactive send waits out before its single retry. */
const MAX_RETRY_WAIT_S = 10;
/** Time the retried request itself needs inside the remaining budget. */
const RETRY_MARGIN_MS = 2_000;

export async function sendViaGraph(
  settings: GraphSettings,
  accessToken: () => Promise<string>,
  message: OutgoingMessage | MimeMessage,
  opts: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const totalMs = resolveLimits({ totalMs: settings.totalMs }).totalMs;
  const secrets: string[] = [];
  const steps = new StepRecorder(opts.onStep, secrets, GRAPH_STEP_ORDER);
  const transcript = new Transcript();
  const http = new AbortController();
  const deadline = new Deadline(totalMs, opts.signal, () => http.abort());
  let requests = 0;
  let host = ''; // set once the endpoint parses: the raw value may carry credentials

  try {
    const endpoint = parseEndpoint(settings.endpoint);
    host = endpoint.hostname.replace(/^\[(.*)\]$/, '$1');
    const url = sendMailUrl(endpoint, settings);
    // A relayed message goes as the MIME it arrived as; a composed one as Graph's JSON message.
    const payload: GraphPayload =
      'mime' in message ? mimePayload(message) : jsonPayload(validateFields(message), settings.sender);

    const addresses = await deadline.race(resolveHost(host, MAX_LIMITS.connectMs, 'EGRAPH_DNS'));
    // Checked here to fail at resolve with a clear step; outboundFetch checks again on the address it connects to.
    const verdict = checkDestination(host, addresses, Number(endpoint.port) || 443, opts.policy);
    if (!verdict.ok) throw new SendError(verdict.errorCode, verdict.detail, 'resolve');
    steps.ok(
      'resolve',
      `${isIP(host) ? `${host} is an IP address; no DNS lookup needed` : `${host} resolves to ${addresses.join(', ')}`}; allowed by the destination policy.`,
    );

    const token = await obtainToken(accessToken, deadline);
    secrets.push(token);
    steps.ok(
      'token',
      `Access token obtained (${settings.delegated ? 'delegated: sends as the signed-in user' : `app-only: sends as ${settings.sender}`}).`,
    );

    const post = async () => {
      requests++;
      return deadline.race(exchange(url, token, payload, transcript, http.signal, opts.policy));
    };
    let res = await post();
    if (res.status === 429) {
      const wait = retryAfterSeconds(res.headers.get('retry-after'));
      const remaining = totalMs - (performance.now() - started);
      if (opts.waitOnThrottle === false) {
        throw httpFailure(res, 'the retry is scheduled for later');
      } else if (wait !== undefined && wait <= MAX_RETRY_WAIT_S && wait * 1000 + RETRY_MARGIN_MS <= remaining) {
        transcript.note(`Throttled (429): waiting ${wait} s as Retry-After asks, then retrying once.`);
        await deadline.race(delay(wait * 1000, undefined, { signal: http.signal }));
        res = await post();
        if (res.status === 429) throw httpFailure(res, `still throttled after waiting ${wait} s and retrying once`);
      } else {
        throw httpFailure(
          res,
          wait === undefined
            ? 'no Retry-After was given, so it was not retried'
            : `that is longer than this test waits (${MAX_RETRY_WAIT_S} s at most, within its ${seconds(totalMs)} limit), so it was not retried`,
        );
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
    let advice = adviseFor({
      step: failedStep,
      errorCode: c.errorCode,
      code: reply?.code,
      text: `${reply?.text ?? ''} ${c.detail}`,
    });
    if (error instanceof GraphHttpError && error.retryAfterS !== undefined) {
      advice = {
        ...advice,
        detail: `Microsoft Graph asked to wait ${error.retryAfterS} s (Retry-After) before trying again. ${advice.detail}`,
      };
    }
    const retryAfter = error instanceof GraphHttpError ? error.retryAfterS : undefined;
    return finish({
      ok: false,
      failedStep,
      errorCode: c.errorCode,
      advice,
      ...(reply && { reply }),
      ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }),
    });
  } finally {
    deadline.clear();
  }

  function finish(part: ResultPart): SendResult {
    return finishSend(part, {
      transport: 'graph',
      steps,
      transcript,
      started,
      connections: requests,
      secrets,
      destination: { endpointHost: host, delegated: settings.delegated },
    });
  }
}

/** message.ts's checks (control characters, addresses); its SMTP step names become 'request'. */
function validateFields(message: OutgoingMessage): MessageFields {
  try {
    return validateMessage(message);
  } catch (e) {
    if (e instanceof SendError) throw new SendError(e.errorCode, e.message, 'request');
    throw e;
  }
}

function classify(error: unknown, current: StepName, host: string): { errorCode: string; detail: string; step?: StepName } {
  if (error instanceof SendError)
    return { errorCode: error.errorCode, detail: error.message, ...(error.step && { step: error.step }) };
  const message = error instanceof Error ? error.message : String(error);
  return current === 'resolve'
    ? { errorCode: 'EGRAPH_DNS', detail: `Could not resolve ${host} (${message}).` }
    : { errorCode: 'EUNKNOWN', detail: message || 'Unknown error.' };
}
