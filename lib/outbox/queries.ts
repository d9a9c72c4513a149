import 'server-only';
/**
 * What the Queue pages and the Overview read of the outbox: counts by state, the oldest waiting
 * message, a filtered list, and one message with its attempts. Never the body (see service.ts).
 */
import { providerOf as databaseProvider } from '@/lib/database-url';
import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { LIMIT_SELECT, PROVIDER_LIMITS, PROVIDER_NAMES, providerOf, type ProviderKind } from '@/lib/outbox/limits';
import { messageStatus, type MessageStatus } from '@/lib/outbox/status';
import { OUTBOX_STATES, PENDING_STATES, type OutboxKind, type OutboxState } from '@/lib/outbox/types';

export const QUEUE_PAGE_SIZE = 50;
export const OUTBOX_KINDS: readonly OutboxKind[] = ['notification', 'relay', 'alert'];

export type QueueFilter = {
  storeId?: string;
  state?: OutboxState;
  kind?: OutboxKind;
  /** Part of an address among the envelope recipients. */
  recipient?: string;
  /** Part of the subject. */
  subject?: string;
  page?: number;
};

/** The filter from a page's search parameters; unknown values are ignored. */
export function queueFilterOf(params: Record<string, string | string[] | undefined>): Omit<QueueFilter, 'storeId'> {
  const one = (k: string) => {
    const v = params[k];
    return (Array.isArray(v) ? v[0] : v)?.trim().slice(0, 200) || undefined;
  };
  const state = one('state');
  const kind = one('kind');
  return {
    state: OUTBOX_STATES.find((s) => s === state),
    kind: OUTBOX_KINDS.find((k) => k === kind),
    recipient: one('recipient'),
    subject: one('subject'),
    page: Math.max(1, Number(one('page')) || 1),
  };
}

/**
 * A recipient or subject filter matches whatever the case, as an admin expects: SQLite's LIKE does
 * (for ASCII); PostgreSQL's is case-sensitive unless told otherwise, which its client alone accepts.
 */
function containing(text: string): { contains: string } {
  return databaseProvider(getEnv().DATABASE_URL) === 'postgresql'
    ? ({ contains: text, mode: 'insensitive' } as { contains: string })
    : { contains: text };
}

function whereOf(f: QueueFilter) {
  return {
    ...(f.storeId && { storeId: f.storeId }),
    ...(f.state && { state: f.state }),
    ...(f.kind && { kind: f.kind }),
    ...(f.recipient && { recipients: containing(f.recipient) }),
    ...(f.subject && { subject: containing(f.subject) }),
  };
}

export type QueueSummary = {
  counts: Record<OutboxState, number>;
  /** When the oldest message still waiting (queued, sending or retrying) was accepted. */
  oldestPendingAt: Date | null;
};

export async function getQueueSummary(storeId?: string): Promise<QueueSummary> {
  const where = storeId ? { storeId } : {};
  const [groups, oldest] = await Promise.all([
    db.outboxMessage.groupBy({ by: ['state'], where, _count: { _all: true } }),
    db.outboxMessage.aggregate({ where: { ...where, state: { in: [...PENDING_STATES] } }, _min: { createdAt: true } }),
  ]);
  const counts = Object.fromEntries(OUTBOX_STATES.map((s) => [s, 0])) as Record<OutboxState, number>;
  for (const g of groups) if (g.state in counts) counts[g.state as OutboxState] = g._count._all;
  return { counts, oldestPendingAt: oldest._min.createdAt ?? null };
}

/** Per store: messages still waiting and the oldest one's age (the Overview's backlog). */
export async function getBacklogByStore(): Promise<Map<string, { pending: number; oldestPendingAt: Date }>> {
  const rows = await db.outboxMessage.groupBy({
    by: ['storeId'],
    where: { state: { in: [...PENDING_STATES] } },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  return new Map(
    rows.flatMap((r) =>
      r._min.createdAt ? [[r.storeId, { pending: r._count._all, oldestPendingAt: r._min.createdAt }] as const] : [],
    ),
  );
}

export type QueueRow = {
  id: string;
  storeId: string;
  storeName: string;
  kind: string;
  state: OutboxState;
  source: string;
  subject: string;
  recipients: string[];
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date;
  finishedAt: Date | null;
  lastStep: string;
  lastReplyCode: number | null;
  lastReply: string;
  adviceTitle: string;
};

const parseList = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};

const adviceTitleOf = (json: string): string => {
  try {
    const v = JSON.parse(json) as { title?: unknown };
    return typeof v.title === 'string' ? v.title : '';
  } catch {
    return '';
  }
};

export async function getQueueList(f: QueueFilter) {
  const where = whereOf(f);
  const page = Math.max(1, f.page ?? 1);
  const [rows, total] = await Promise.all([
    db.outboxMessage.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * QUEUE_PAGE_SIZE,
      take: QUEUE_PAGE_SIZE,
      select: {
        id: true,
        storeId: true,
        store: { select: { name: true } },
        kind: true,
        state: true,
        source: true,
        subject: true,
        recipients: true,
        attempts: true,
        createdAt: true,
        nextAttemptAt: true,
        finishedAt: true,
        lastStep: true,
        lastReplyCode: true,
        lastReply: true,
        lastAdvice: true,
      },
    }),
    db.outboxMessage.count({ where }),
  ]);
  return {
    rows: rows.map(({ store, recipients, lastAdvice, state, ...r }): QueueRow => ({
      ...r,
      state: state as OutboxState,
      storeName: store.name,
      recipients: parseList(recipients),
      adviceTitle: adviceTitleOf(lastAdvice),
    })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
  };
}

export type QueueMessage = MessageStatus & {
  storeId: string;
  storeName: string;
  source: string;
  clientAddress: string;
  envelopeFrom: string;
  /** The envelope: To + Cc + Bcc. */
  recipients: string[];
  bodyBytes: number;
  /** false once retention purged it. */
  hasBody: boolean;
  bodyPurgedAt: Date | null;
  finishedAt: Date | null;
  attemptDetails: { number: number; durationMs: number; worker: string }[];
};

/** One message with its headers and attempts; `storeId` keeps a store's page to its own messages. */
export async function getQueueMessage(id: string, storeId?: string): Promise<QueueMessage | null> {
  const [status, row] = await Promise.all([
    messageStatus(id, storeId),
    db.outboxMessage.findFirst({
      where: { id, ...(storeId && { storeId }) },
      select: {
        storeId: true,
        store: { select: { name: true } },
        source: true,
        clientAddress: true,
        envelopeFrom: true,
        recipients: true,
        bodyBytes: true,
        bodyPurgedAt: true,
        finishedAt: true,
        attemptLog: {
          orderBy: [{ number: 'asc' }, { startedAt: 'asc' }],
          select: { number: true, durationMs: true, worker: true },
        },
      },
    }),
  ]);
  if (!status || !row) return null;
  return {
    ...status,
    storeId: row.storeId,
    storeName: row.store.name,
    source: row.source,
    clientAddress: row.clientAddress,
    envelopeFrom: row.envelopeFrom,
    recipients: parseList(row.recipients),
    bodyBytes: row.bodyBytes,
    hasBody: row.bodyPurgedAt === null,
    bodyPurgedAt: row.bodyPurgedAt,
    finishedAt: row.finishedAt,
    attemptDetails: row.attemptLog,
  };
}

export type DeliveryLimitsView = {
  storeName: string;
  /** What the admin set; null = the provider's default. */
  values: {
    sendPerMinute: number | null;
    maxConnections: number | null;
    dailyRecipientLimit: number | null;
    maxAttempts: number;
  };
  provider: ProviderKind;
  providerName: string;
  defaults: (typeof PROVIDER_LIMITS)[ProviderKind];
};

export async function getDeliveryLimits(storeId: string): Promise<DeliveryLimitsView | null> {
  const p = await db.notificationProfile.findUnique({
    where: { storeId },
    select: {
      ...LIMIT_SELECT,
      maxAttempts: true,
      store: { select: { name: true } },
    },
  });
  if (!p) return null;
  const provider = providerOf(p);
  return {
    storeName: p.store.name,
    values: {
      sendPerMinute: p.sendPerMinute,
      maxConnections: p.maxConnections,
      dailyRecipientLimit: p.dailyRecipientLimit,
      maxAttempts: p.maxAttempts,
    },
    provider,
    providerName: PROVIDER_NAMES[provider],
    defaults: PROVIDER_LIMITS[provider],
  };
}
