/** Schema version: the migrations this code knows against the ones a database has applied. */
import { existsSync } from 'node:fs';
import { createDb } from '@/lib/db';
import { appliedMigrations } from '@/lib/migrations/applied-migrations';
import { migrationsDir } from '@/lib/migrations/migrate';
import { readMigrationsList } from '@/lib/migrations/schema-engine';
import { type Provider, providerOf, sqliteFilePath } from '@/lib/database-url';

type SchemaVersion = {
  /** migrations in prisma/migrations/<provider>, oldest first */
  known: string[];
  applied: string[];
  /** known but not applied: `npm start` applies them */
  pending: string[];
  /** applied but unknown to this code: the database comes from a newer Mailroom */
  unknown: string[];
};

export async function knownMigrations(provider: Provider): Promise<string[]> {
  return (await readMigrationsList(migrationsDir(provider), provider)).migrationDirectories.map((d) => d.path);
}

function compareSchema(known: string[], applied: string[]): SchemaVersion {
  return {
    known,
    applied,
    pending: known.filter((m) => !applied.includes(m)),
    unknown: applied.filter((m) => !known.includes(m)),
  };
}

/** Reads the database's applied migrations without creating or migrating anything. */
export async function schemaVersion(databaseUrl: string): Promise<SchemaVersion> {
  const provider = providerOf(databaseUrl);
  const known = await knownMigrations(provider);
  if (provider === 'sqlite' && !existsSync(sqliteFilePath(databaseUrl))) return compareSchema(known, []);
  const db = createDb(databaseUrl);
  try {
    return compareSchema(known, await appliedMigrations(db));
  } finally {
    await db.$disconnect();
  }
}

export function describeSchema(v: SchemaVersion): string {
  const latest = v.applied.at(-1);
  if (!latest) return `no migration applied yet (${v.known.length} to apply; \`npm start\` applies them)`;
  if (v.unknown.length) {
    return `${latest}: the database has migrations this version does not know (${v.unknown.join(', ')}), so it comes from a newer Mailroom`;
  }
  if (v.pending.length) {
    return `${latest} (${v.applied.length} of ${v.known.length} migrations applied; \`npm start\` applies ${v.pending.join(', ')})`;
  }
  return `${latest} (all ${v.known.length} migrations applied)`;
}
