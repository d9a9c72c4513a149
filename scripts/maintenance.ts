import { ConfigError } from '@/lib/env';
import { UserFacingError } from '@/lib/errors';

/**
 * Runs a maintenance command (backup, restore) and sets its exit code: 64 usage, 78 configuration,
 * 2 refused (nothing changed), 1 failed. Refusals print their message, never a stack.
 */
export function runMaintenance(usage: string, main: () => Promise<number | 'usage'>): Promise<void> {
  return main().then(
    (code) => {
      if (code === 'usage') console.error(usage);
      process.exitCode = code === 'usage' ? 64 : code;
    },
    (error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
        console.error(`${(error as Error).message}\n${usage}`);
        process.exitCode = 64;
      } else if (error instanceof ConfigError || error instanceof UserFacingError) {
        console.error(error.message);
        process.exitCode = error instanceof ConfigError ? 78 : 2;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  );
}
