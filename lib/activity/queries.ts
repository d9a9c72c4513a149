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

export async function getActivity(opts: { page?: number; action?: string; target?: string; take?: number } = {}) {
  const take = opts.take ?? ACTIVITY_PAGE_SIZE;
  const page = Math.max(1, opts.page ?? 1);
  const where = {
    ...(opts.action ? { action: { startsWith: opts.action } } : {}),
    ...(opts.target ? { target: opts.target } : {}),
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
