/** Which migrations a database has applied: Prisma's `_prisma_migrations` table, read with plain SQL. */
export const APPLIED_MIGRATIONS_SQL =
  'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name';

type RawQuery = { $queryRawUnsafe<T>(sql: string): Promise<T> };

/** Names of the applied migrations, oldest first; [] for a database no migration has touched yet. */
export async function appliedMigrations(db: RawQuery): Promise<string[]> {
  try {
    return (await db.$queryRawUnsafe<{ migration_name: string }[]>(APPLIED_MIGRATIONS_SQL)).map((r) => r.migration_name);
  } catch (error) {
    if (/_prisma_migrations/.test(String(error)) && /(no such table|does not exist)/i.test(String(error))) return [];
    throw error;
  }
}
