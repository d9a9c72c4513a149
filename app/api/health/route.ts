import { db } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { logError } from '@/lib/log';

export const dynamic = 'force-dynamic';

/** For load balancers and uptime checks: says whether the database answers, nothing more. */
export async function GET() {
  const database = getEnv().embedded ? 'sqlite' : 'postgresql';
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return Response.json({ status: 'ok', database: { provider: database, status: 'ok' } });
  } catch (err) {
    logError('health check: database unavailable', err);
    return Response.json({ status: 'error', database: { provider: database, status: 'unavailable' } }, { status: 503 });
  }
}
