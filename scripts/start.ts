/**
 * `npm start`: prepares local secrets and the database, builds when the sources changed, then
 * serves the console. `--dev` runs `next dev` instead of a production build.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { applyMigrations } from '@/lib/migrations/migrate';
import { ConfigError, getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { buildIfStale, nextBin, root } from '@/scripts/build';

async function main() {
  const dev = process.argv.includes('--dev');
  let env;
  try {
    env = getEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const { applied } = await applyMigrations(env.DATABASE_URL);
  if (applied.length) logger.info({ applied }, 'Applied database migrations');

  // Children read the same values, so generated secrets are created exactly once, here.
  const childEnv = {
    ...process.env,
    DATABASE_URL: env.DATABASE_URL,
    DATA_DIR: env.DATA_DIR,
    APP_URL: env.APP_URL,
    NEXTAUTH_URL: env.APP_URL,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET,
    APP_ENCRYPTION_KEY: env.APP_ENCRYPTION_KEY,
    // Telemetry would try to reach the internet on every build and start.
    NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
  };
  process.env = childEnv;
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (!dev) buildIfStale(distDir, (m) => logger.info(m));

  // Production goes through scripts/serve.ts, which stamps client addresses from the socket (docs/security.md#client-address).
  const args = dev
    ? [nextBin, 'dev', '-p', String(env.PORT)]
    : ['--import', 'tsx', path.join(root, 'scripts', 'serve.ts'), '--port', String(env.PORT)];
  logger.info(`Mailroom on ${env.APP_URL} (database: ${env.embedded ? 'embedded SQLite' : 'PostgreSQL'})`);
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: childEnv });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
