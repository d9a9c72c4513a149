/**
 * Runs before each integration test file: a new SQLite database and data directory, so files
 * never see each other's rows, and the real migrations applied to it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-it-'));
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = `file:${path.join(dir, 'mailroom.db')}`;
delete process.env.APP_ENCRYPTION_KEY;
delete process.env.NEXTAUTH_SECRET;

beforeAll(async () => {
  const { applyMigrations } = await import('@/lib/migrations/migrate');
  await applyMigrations(`file:${path.join(dir, 'mailroom.db')}`);
});
