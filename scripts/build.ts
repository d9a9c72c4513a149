import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(__dirname, '..');
export const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const SOURCES = ['app', 'components', 'lib', 'public', 'proxy.ts', 'next.config.ts', 'package.json'];

function newestMtime(rel: string): number {
  const full = path.join(root, rel);
  if (!fs.existsSync(full) || rel === path.join('lib', 'generated')) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(full).map((f) => newestMtime(path.join(rel, f))));
}

/** Runs `next build` into `distDir` unless a build of the current sources is already there. */
export function buildIfStale(distDir: string, log: (msg: string) => void = console.log): void {
  const stamp = path.join(root, distDir, 'mailroom-sources.json');
  const newest = Math.max(...SOURCES.map(newestMtime));
  const built = fs.existsSync(stamp) ? (JSON.parse(fs.readFileSync(stamp, 'utf8')) as { newest: number }).newest : -1;
  if (built === newest && fs.existsSync(path.join(root, distDir, 'BUILD_ID'))) return;
  log(`Building the console into ${distDir} (first start or changed sources)…`);
  const res = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1' },
  });
  if (res.status !== 0) throw new Error(`next build failed (exit ${res.status})`);
  fs.writeFileSync(stamp, JSON.stringify({ newest }));
}
