import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@/lib/migrations/migrate';
import { root } from '@/scripts/build';
import { E2E_DIST_DIR } from '@/tests/e2e/support/global-setup';

export type RunningApp = { url: string; databaseUrl: string; dataDir: string; logs: () => string; stop: () => Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const SERVER = path.join(root, 'scripts', 'serve.ts');

/**
 * The production build on a free port with a fresh data directory and a fresh SQLite database,
 * or the (empty) database `extraEnv.DATABASE_URL` names, served as `npm start` serves it (scripts/serve.ts).
 */
export async function startApp(extraEnv: Record<string, string> = {}, fixedPort?: number): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-e2e-'));
  const databaseUrl = extraEnv.DATABASE_URL ?? `file:${path.join(dataDir, 'mailroom.db')}`;
  await applyMigrations(databaseUrl);
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SERVER, '--port', String(port), '--hostname', '127.0.0.1'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_DIST_DIR: E2E_DIST_DIR,
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        APP_URL: url,
        NEXTAUTH_URL: url,
        LOG_LEVEL: 'warn',
        NEXT_TELEMETRY_DISABLED: '1',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the console did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    databaseUrl,
    dataDir,
    logs: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
