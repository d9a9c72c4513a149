/**
 * `npm run bench` (page weight): the JavaScript a first visit to a store's Notifications page loads,
 * in Chromium against the production build, each script gzipped here at zlib's default level; then
 * what editing and saving the form loads on top. Prints the total against issue 11's goal and the
 * largest chunks with what they hold.
 */
import { buildIfStale } from '@/scripts/build';
import { E2E_DIST_DIR } from '@/tests/e2e/support/global-setup';
import { describeWeight, measureNotificationsPage } from '@/tests/e2e/support/page-weight';
import { openConsole } from '@/tests/e2e/support/session';

async function main() {
  buildIfStale(E2E_DIST_DIR);
  const ui = await openConsole();
  try {
    for (const line of describeWeight(await measureNotificationsPage(ui))) console.log(line);
  } finally {
    await ui.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
