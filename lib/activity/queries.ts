import 'server-only';
import { db } from '@/lib/db';

const ACTIVITY_PAGE_SIZE = 50;

export type ActivityRow = {
  id: string;
  createdAt: Date;
  actorEmail: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  ip: string;
};

function parseDetails(raw: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What failed: a sign-in, or an action whose details say `result: failed…` (tests, OAuth). */
const FAILED = {
  OR: [{ action: { in: ['auth.sign_in_failed', 'auth.locked_out'] } }, { details: { contains: '"result":"failed' } }],
};

export type ActivityFilter = { action?: string; target?: string; actor?: string; failedOnly?: boolean };

export async function getActivity(opts: ActivityFilter & { page?: number; take?: number } = {}) {
  const take = opts.take ?? ACTIVITY_PAGE_SIZE;
  const page = Math.max(1, opts.page ?? 1);
  const where = {
    ...(opts.action ? { action: { startsWith: opts.action } } : {}),
    ...(opts.target ? { target: opts.target } : {}),
    ...(opts.actor ? { actorEmail: opts.actor } : {}),
    ...(opts.failedOnly ? FAILED : {}),
  };
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: { createdAt: 'desc' },
      skip: (page - 1) * take,
      take,
      select: { id: true, createdAt: true, actorEmail: true, action: true, target: true, details: true, ip: true },
    }),
    db.auditEvent.count({ where }),
  ]);
  return {
    rows: rows.map((r): ActivityRow => ({ ...r, details: parseDetails(r.details) })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / take)),
  };
}

/** The choices of the Activity page's filters: every store and every actor that appears. */
export async function getActivityFilterChoices(): Promise<{ stores: string[]; actors: string[] }> {
  const [stores, actors] = await Promise.all([
    db.identityStore.findMany({ select: { name: true }, orderBy: { name: 'asc' } }),
    db.auditEvent.findMany({
      where: { actorEmail: { not: '' } },
      distinct: ['actorEmail'],
      select: { actorEmail: true },
      orderBy: { actorEmail: 'asc' },
    }),
  ]);
  return { stores: stores.map((s) => s.name), actors: actors.map((a) => a.actorEmail) };
}
