import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The two databases Mailroom runs on. Names match Prisma's `provider` values. */
export type Provider = 'sqlite' | 'postgresql';
export const PROVIDERS: readonly Provider[] = ['sqlite', 'postgresql'];

/** Absolute path of the project root (this file lives in `<root>/lib/`). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_DATABASE_URL = 'file:./data/mailroom.db';

/** `file:…` → sqlite, `postgres://…` / `postgresql://…` → postgresql; anything else throws. */
export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`Unsupported DATABASE_URL "${redactUrl(url)}": expected file:/path/to/db.sqlite or postgresql://user@host/db`);
}

/** Absolute file path of a `file:` URL; relative paths are resolved against the project root. */
export function sqliteFilePath(url: string, root: string = projectRoot): string {
  if (!url.startsWith('file:')) throw new Error(`Not a SQLite URL: ${redactUrl(url)}`);
  let rest = url.slice('file:'.length);
  const query = rest.indexOf('?');
  if (query >= 0) rest = rest.slice(0, query);
  if (rest.startsWith('//')) rest = fileURLToPath(`file:${rest}`); // file:///abs/path form
  if (rest === '') throw new Error('SQLite URL has no file path');
  return path.resolve(root, rest);
}

/** The same PostgreSQL server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Database name of a PostgreSQL URL (defaults to the user name, like libpq). */
export function databaseOf(url: string): string {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(u.username) || 'postgres';
}

/** For messages: hide the password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
