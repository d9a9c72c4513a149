import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, migrationsDir } from '@/lib/migrations/migrate';
import { providerOf } from '@/lib/database-url';

/** Applies all migrations but the newest `skip`, as an older Mailroom left the database; returns the skipped ones. */
export async function migrateAllBut(databaseUrl: string, skip: number): Promise<{ applied: string[]; skipped: string[] }> {
  const provider = providerOf(databaseUrl);
  const names = readdirSync(migrationsDir(provider), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const root = mkdtempSync(path.join(os.tmpdir(), 'mailroom-older-'));
  try {
    cpSync(migrationsDir(provider), path.join(root, provider), {
      recursive: true,
      filter: (src) => !names.slice(names.length - skip).includes(path.basename(src)),
    });
    const { applied } = await applyMigrations(databaseUrl, { migrationsRoot: root });
    return { applied, skipped: names.slice(names.length - skip) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Applies the migrations that came before the one named `*_<name>` (and skips it and every later one). */
export async function migrateBefore(databaseUrl: string, name: string): Promise<{ applied: string[]; skipped: string[] }> {
  const names = readdirSync(migrationsDir(providerOf(databaseUrl)), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const at = names.findIndex((n) => n.endsWith(`_${name}`));
  if (at < 0) throw new Error(`no migration named *_${name}`);
  return migrateAllBut(databaseUrl, names.length - at);
}
