import 'server-only';
import { db } from '../db';
import { getEnv } from '../env';

export async function getOverview() {
  const [users, stores] = await Promise.all([db.user.count(), db.identityStore.count()]);
  return { users, stores, database: getEnv().embedded ? 'SQLite (embedded)' : 'PostgreSQL' };
}
