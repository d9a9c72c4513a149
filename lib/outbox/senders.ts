/**
 * The connection each store sends through while its queue has work: a pooled SMTP transport, or
 * Microsoft Graph (one request per message over keep-alive HTTPS). Rebuilt when the store's
 * settings are saved (version), closed after a minute without work.
 */
import { getEnv } from '@/lib/env';
import { UserFacingError } from '@/lib/errors';
import { logger } from '@/lib/log';
import { sendViaGraph } from '@/lib/mail/graph/send';
import { httpPolicyFromEnv, policyFromEnv } from '@/lib/net/policy';
import { openFailure, SmtpPool, type AttemptResult, type PoolMessage } from '@/lib/mail/smtp-pool';
import type { Advice, SendResult } from '@/lib/mail/types';
import { loadSendProfile, type SendProfile } from '@/lib/notifications/send-profile';
import { getAccessToken } from '@/lib/oauth/connection';

const IDLE_MS = 60_000;

export type Sender = {
  send: (message: PoolMessage) => Promise<AttemptResult>;
  close: () => void;
  /** false when opening failed: the next attempt tries again instead of reusing the failure. */
  reusable: boolean;
};

/** `sending`: sends in progress; a sender is closed only when it has none and has been idle a minute. */
type Entry = { version: number; sender: Promise<Sender>; lastUsed: number; sending: number };

export class SenderCache {
  private readonly entries = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;

  /** `idleMs`: a sender without work this long is closed, checked every `sweepMs` (shorter in tests). */
  constructor(private readonly o: { idleMs: number; sweepMs: number } = { idleMs: IDLE_MS, sweepMs: 15_000 }) {
    this.timer = setInterval(() => this.closeIdle(), o.sweepMs).unref();
  }

  /** The store's sender for settings `version` with `connections` at most. */
  get(storeId: string, version: number, connections: number): Promise<Sender> {
    const e = this.entries.get(storeId);
    if (e && e.version === version) {
      e.lastUsed = Date.now();
      return e.sender;
    }
    if (e)
      void e.sender.then(
        (s) => s.close(),
        () => undefined,
      );
    const entry = { version, lastUsed: Date.now(), sending: 0 } as Entry;
    // A lane keeps one sender for as long as its store has work, often longer than the idle minute:
    // every send marks the entry busy, so closeIdle never closes a pool under a send in progress.
    entry.sender = open(storeId, connections).then((s) => ({
      ...s,
      send: async (m: PoolMessage) => {
        entry.sending++;
        try {
          return await s.send(m);
        } finally {
          entry.sending--;
          entry.lastUsed = Date.now();
        }
      },
    }));
    const sender = entry.sender;
    this.entries.set(storeId, entry);
    // A failed open is not kept: the next attempt opens again.
    const forget = () => this.entries.get(storeId) === entry && this.entries.delete(storeId);
    sender.then((s) => !s.reusable && forget(), forget);
    return sender;
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [id, e] of this.entries) {
      if (e.sending > 0 || now - e.lastUsed < this.o.idleMs) continue;
      this.entries.delete(id);
      void e.sender.then(
        (s) => s.close(),
        () => undefined,
      );
    }
  }

  closeAll(): void {
    clearInterval(this.timer);
    for (const e of this.entries.values())
      void e.sender.then(
        (s) => s.close(),
        () => undefined,
      );
    this.entries.clear();
  }
}

const tokenSource = (profileId: string) => getAccessToken(profileId);

async function open(storeId: string, connections: number): Promise<Sender> {
  let profile: SendProfile;
  try {
    profile = await loadSendProfile(storeId, tokenSource);
  } catch (err) {
    // The settings changed after the message was queued (no server, no password): wait for them.
    if (!(err instanceof UserFacingError)) throw err;
    const failure: AttemptResult = {
      ok: false,
      step: 'resolve',
      errorCode: 'ENOT_READY',
      detail: err.message,
      advice: {
        id: 'not-ready',
        title: 'The store is not ready to send',
        detail: `${err.message} Queued messages wait and are retried.`,
      },
      durationMs: 0,
    };
    return { send: () => Promise.resolve(failure), close: () => undefined, reusable: false };
  }
  const policy = policyFromEnv(getEnv());
  if (profile.graph && profile.auth.type === 'oauth2') return graphSender(profile, httpPolicyFromEnv(getEnv()));
  const o = {
    target: profile.target,
    auth: profile.auth,
    policy,
    maxConnections: connections,
    renewToken: () => getAccessToken(profile.profileId, { force: true }),
  };
  let pool: SmtpPool;
  try {
    pool = await SmtpPool.open(o);
  } catch (err) {
    // DNS or the destination policy refused: every attempt reports it until the settings change.
    const failure = openFailure(err, o);
    return { send: () => Promise.resolve(failure), close: () => undefined, reusable: false };
  }
  logger.debug({ storeId, where: pool.where, connections }, 'outbox: SMTP pool opened');
  return { send: (m) => pool.send(m), close: () => pool.close(), reusable: true };
}

function graphSender(profile: SendProfile, policy: ReturnType<typeof policyFromEnv>): Sender {
  const auth = profile.auth as Extract<SendProfile['auth'], { type: 'oauth2' }>;
  return {
    close: () => undefined,
    reusable: true,
    send: async (message) => {
      const f = message.fields;
      const content = f
        ? { from: f.from, to: f.to, cc: f.cc, subject: f.subject, text: f.text, ...(f.html && { html: f.html }) }
        : { mime: message.raw, envelope: message.envelope };
      const result = await sendViaGraph(profile.graph!, auth.accessToken, content, { policy, waitOnThrottle: false });
      return fromSendResult(result);
    },
  };
}

/** The step engine's result in the outbox's terms. */
export function fromSendResult(r: SendResult): AttemptResult {
  if (r.ok)
    return {
      ok: true,
      reply: r.reply ?? { text: 'accepted' },
      ...(r.queueId && { queueId: r.queueId }),
      rejected: r.rejected ?? [],
      durationMs: r.durationMs,
    };
  const failed = r.steps.find((s) => s.status === 'failed');
  return {
    ok: false,
    step: r.failedStep ?? 'connect',
    errorCode: r.errorCode ?? 'EUNKNOWN',
    detail: failed?.detail ?? 'The message was not accepted.',
    ...(r.reply && { reply: r.reply }),
    advice: r.advice ?? ({ id: 'unknown', title: 'The message was not accepted', detail: failed?.detail ?? '' } satisfies Advice),
    ...(r.retryAfterSeconds !== undefined && { retryAfterSeconds: r.retryAfterSeconds }),
    durationMs: r.durationMs,
  };
}
