import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@/lib/migrations/migrate';
import { root } from '@/scripts/build';
import { E2E_DIST_DIR } from '@/tests/e2e/support/global-setup';

export type RunningApp = {
  url: string;
  databaseUrl: string;
  dataDir: string;
  pid: number;
  logs: () => string;
  /** SIGTERM (graceful stop); resolves with the exit code. */
  stop: () => Promise<number | null>;
  /** SIGKILL: the process dies mid-whatever, as in a crash. */
  kill: () => Promise<void>;
};

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

/**
 * `npm start`'s process (console, outbox worker, periodic jobs) serving the production build on a
 * free port, with a fresh data directory and a fresh SQLite database, or the database
 * `extraEnv.DATABASE_URL` names.
 */
export async function startApp(extraEnv: Record<string, string> = {}, fixedPort?: number): Promise<RunningApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-e2e-'));
  const databaseUrl = extraEnv.DATABASE_URL ?? `file:${path.join(dataDir, 'mailroom.db')}`;
  await applyMigrations(databaseUrl);
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  // `node --import tsx` (not the tsx CLI) so the signals a test sends reach Mailroom itself.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: E2E_DIST_DIR,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      APP_URL: url,
      NEXTAUTH_URL: url,
      LOG_LEVEL: 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      // No SMTP relay unless the test asks for one (RELAY_PORT): parallel apps would race for 2525.
      RELAY_PORT: '0',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`npm start did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    databaseUrl,
    dataDir,
    pid: child.pid ?? 0,
    logs: () => output,
    stop: async () => {
      if (alive()) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
}
