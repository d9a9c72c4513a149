import { execFile } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

type ScriptResult = { code: number; stdout: string; stderr: string; out: string };

/** Runs `scripts/<name>.ts` as `npm run <name>` would (a separate process), never throwing on a non-zero exit. */
export function runScript(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; input?: string } = {},
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = execFile(
      tsx,
      [path.join('scripts', `${name}.ts`), ...args],
      { cwd: root, env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr, out: stdout + stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
