/** Real Mailroom processes for the tests: `npm run worker` (outbox worker + periodic jobs) with a given environment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { root } from '@/scripts/build';

export type MailroomProcess = {
  child: ChildProcess;
  logs: () => string;
  exited: Promise<number | null>;
  signal: (s: NodeJS.Signals) => void;
};

/** Children still running when the test process ends (a failed or timed-out test) are killed with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

export function startWorkerProcess(env: Record<string, string>): MailroomProcess {
  // `node --import tsx`, not the tsx CLI: a signal sent to the child reaches Mailroom itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), resolve(code))));
  return { child, logs: () => output, exited, signal: (s) => child.kill(s) };
}

/** Resolves once `check` holds (polled), or throws with `what` after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
