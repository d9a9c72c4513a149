/**
 * A store's sending limits: what the admin set on the Notifications page, else the provider's own
 * (docs/providers.md, "Sending limits"): Exchange Online SMTP AUTH 30 messages a minute and 3
 * connections per mailbox, Graph 4 concurrent requests, 10,000 recipients a day for both;
 * Gmail / Workspace at most 100 recipients a message.
 */
export type ProviderKind = 'exchange-online' | 'graph' | 'gmail' | 'other';

export type StoreLimits = {
  provider: ProviderKind;
  /** Messages per minute; null = no limit. */
  perMinute: number | null;
  /** Connections (Graph: concurrent requests) at once, over all processes. */
  connections: number;
  /** Recipients per rolling 24 h; null = unknown. */
  dailyRecipients: number | null;
  /** Recipients (envelope) in one message. */
  recipientsPerMessage: number;
};

export const PROVIDER_LIMITS: Record<ProviderKind, Omit<StoreLimits, 'provider'>> = {
  'exchange-online': { perMinute: 30, connections: 3, dailyRecipients: 10_000, recipientsPerMessage: 500 },
  graph: { perMinute: 30, connections: 4, dailyRecipients: 10_000, recipientsPerMessage: 500 },
  gmail: { perMinute: null, connections: 3, dailyRecipients: 2_000, recipientsPerMessage: 100 },
  other: { perMinute: null, connections: 5, dailyRecipients: null, recipientsPerMessage: 100 },
};

export const PROVIDER_NAMES: Record<ProviderKind, string> = {
  'exchange-online': 'Exchange Online (SMTP AUTH)',
  graph: 'Microsoft Graph',
  gmail: 'Gmail / Google Workspace',
  other: 'this server',
};

const EXCHANGE_HOST = /(^|\.)(office365\.com|outlook\.com|office365\.us|partner\.outlook\.cn)$/i;
const GMAIL_HOST = /^smtp(-relay)?\.gmail\.com$|(^|\.)googlemail\.com$/i;

export function providerOf(p: { transport: string; host: string }): ProviderKind {
  if (p.transport === 'graph') return 'graph';
  const host = p.host.trim().replace(/\.$/, '');
  if (EXCHANGE_HOST.test(host)) return 'exchange-online';
  if (GMAIL_HOST.test(host)) return 'gmail';
  return 'other';
}

export type LimitColumns = {
  transport: string;
  host: string;
  sendPerMinute: number | null;
  maxConnections: number | null;
  dailyRecipientLimit: number | null;
};

/** The profile columns `limitsFor` reads, for a Prisma `select`. */
export const LIMIT_SELECT = {
  transport: true,
  host: true,
  sendPerMinute: true,
  maxConnections: true,
  dailyRecipientLimit: true,
} as const;

export function limitsFor(p: LimitColumns): StoreLimits {
  const provider = providerOf(p);
  const d = PROVIDER_LIMITS[provider];
  return {
    provider,
    perMinute: p.sendPerMinute ?? d.perMinute,
    connections: p.maxConnections ?? d.connections,
    dailyRecipients: p.dailyRecipientLimit ?? d.dailyRecipients,
    recipientsPerMessage: d.recipientsPerMessage,
  };
}

/**
 * This process's share of a store's connection limit when `processes` work the outbox, so that
 * together they stay within it (at least one each).
 */
export function connectionShare(limit: number, processes: number): number {
  return Math.max(1, Math.floor(limit / Math.max(1, processes)));
}
