import 'server-only';
import { activeKeyring } from '@/lib/crypto';
import { secretKeyStatus } from '@/lib/crypto/rotate';
import { db } from '@/lib/db';
import { appliedMigrations } from '@/lib/migrations/applied-migrations';
import { getEnv } from '@/lib/env';
import { daysBetween } from '@/lib/format';
import { APP_VERSION } from '@/lib/version';

export type KeyUse = { id: string; role: 'current' | 'previous' | 'not configured'; secrets: number };

export type SystemSettings = {
  appVersion: string;
  /** the embedded database's file, or a PostgreSQL server's host and database (never its credentials) */
  database: { kind: 'sqlite' | 'postgresql'; location: string };
  schema: { latest: string | null; applied: number };
  /** key ids are fingerprints, never key material */
  keys: KeyUse[];
  lastBackup: { createdAt: Date; daysAgo: number; fileName: string; keysIncluded: boolean; restoredAt: Date | null } | null;
};

function databaseLocation(url: string, embedded: boolean): string {
  if (embedded) return url.slice('file:'.length);
  const u = new URL(url);
  return `${u.host}${u.pathname}`;
}

/** What the Settings page shows: read only, no secret values. */
export async function getSystemSettings(): Promise<SystemSettings> {
  const env = getEnv();
  const ring = activeKeyring();
  const [migrations, perKey, lastBackup] = await Promise.all([
    appliedMigrations(db),
    secretKeyStatus(),
    db.backup.findFirst({
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true, fileName: true, keysIncluded: true, restoredAt: true },
    }),
  ]);
  const configured: KeyUse[] = [
    { id: ring.current.id, role: 'current', secrets: perKey[ring.current.id] ?? 0 },
    ...ring.previous.map((k): KeyUse => ({ id: k.id, role: 'previous', secrets: perKey[k.id] ?? 0 })),
  ];
  const unknown = Object.entries(perKey)
    .filter(([id]) => !configured.some((k) => k.id === id))
    .map(([id, secrets]): KeyUse => ({ id, role: 'not configured', secrets }));
  return {
    appVersion: APP_VERSION,
    database: { kind: env.embedded ? 'sqlite' : 'postgresql', location: databaseLocation(env.DATABASE_URL, env.embedded) },
    schema: { latest: migrations.at(-1) ?? null, applied: migrations.length },
    keys: [...configured, ...unknown],
    lastBackup: lastBackup && { ...lastBackup, daysAgo: daysBetween(lastBackup.createdAt, new Date()) },
  };
}
