import { buildIfStale } from '@/scripts/build';

export const E2E_DIST_DIR = '.next-e2e';

/** One production build for the whole end-to-end suite (dev mode is 5x slower per page). */
export default function setup() {
  buildIfStale(E2E_DIST_DIR);
}
