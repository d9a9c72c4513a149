import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '@/lib/auth/password';
import { db } from '@/lib/db';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

async function admin(...args: string[]) {
  try {
    const { stdout } = await run(tsx, ['scripts/admin.ts', ...args], { cwd: root, env: process.env });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('npm run admin', () => {
  it('creates an admin and a viewer, lists them, and resets a password', async () => {
    expect(await admin('create', '--email', 'Root@Example.com', '--password', 'first password 1')).toMatchObject({
      code: 0,
      out: expect.stringContaining('Created admin root@example.com'),
    });
    expect((await admin('create', '--email', 'view@example.com', '--password', 'viewer password', '--role', 'viewer')).code).toBe(
      0,
    );
    const list = await admin('list');
    expect(list.out).toMatch(/admin\s+root@example\.com/);
    expect(list.out).toMatch(/viewer\s+view@example\.com/);

    expect((await admin('reset-password', '--email', 'root@example.com', '--password', 'second password 2')).code).toBe(0);
    const row = await db.user.findUniqueOrThrow({ where: { email: 'root@example.com' } });
    expect(await verifyPassword('second password 2', row.passwordHash)).toBe(true);
    expect(await verifyPassword('first password 1', row.passwordHash)).toBe(false);
  });

  it('explains bad input and exits non-zero without writing anything', async () => {
    const short = await admin('create', '--email', 'x@example.com', '--password', 'short');
    expect(short.code).toBe(2);
    expect(short.out).toContain('--password: Use at least 12 characters.');
    const role = await admin('create', '--email', 'y@example.com', '--password', 'long enough pw', '--role', 'owner');
    expect(role.code).toBe(2);
    expect(role.out).toContain('--role');
    expect(await db.user.count({ where: { email: { in: ['x@example.com', 'y@example.com'] } } })).toBe(0);
    expect((await admin('reset-password', '--email', 'nobody@example.com', '--password', 'long enough pw')).out).toContain(
      'No account with the email address nobody@example.com',
    );
  });
});
