import type { ActionResult } from '@/lib/action';

const SERVER_UNREACHABLE = 'The server did not answer, so nothing was changed. Check the connection and try again.';

/**
 * For client components: a server action's promise rejects when the request itself fails (the
 * network, a restarting server). That becomes a result the form shows, never an unhandled error.
 */
export async function callAction<T>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await call();
  } catch {
    return { ok: false, message: SERVER_UNREACHABLE };
  }
}
