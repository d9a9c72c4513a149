import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resolve = {
  alias: {
    '@': root,
    // `server-only` throws outside React Server Components; the tests import server modules directly.
    'server-only': path.join(root, 'tests/support/empty-module.ts'),
  },
};

export default defineConfig({
  root,
  resolve,
  test: {
    projects: [
      { resolve, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          setupFiles: ['tests/support/fresh-database.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          // One production server and one Chromium per file; two cores can't run several at once.
          fileParallelism: false,
        },
      },
    ],
  },
});
