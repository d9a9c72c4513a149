import fs from 'node:fs';
import path from 'node:path';
import { logger } from '@/lib/log';

/**
 * Reads a generated secret from `file`, creating it (mode 0600) on first use.
 * Only for the embedded default; deployments pass secrets through the environment.
 */
export function loadOrCreateSecret(file: string, create: () => string, name: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = create();
  try {
    // 'wx' fails if another process created it first; then we read theirs.
    fs.writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
    logger.warn({ file }, `Generated ${name} for the embedded database; back up this file with the database.`);
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
}
