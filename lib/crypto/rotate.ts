import { db } from '@/lib/db';
import { SECRET_COLUMNS } from '@/lib/crypto/secret-fields';
import { isSealedWithCurrentKey, keyIdOfCiphertext, openSecret, sealSecret } from '@/lib/crypto/index';

type Row = { id: string } & Record<string, string | null>;

async function rowsWithSecrets(): Promise<Row[]> {
  const columns = [...new Set(SECRET_COLUMNS.map((c) => c.column))];
  return (await db.notificationProfile.findMany({
    select: { id: true, ...Object.fromEntries(columns.map((c) => [c, true])) },
  })) as unknown as Row[];
}

/** How many stored secrets each key id protects. */
export async function secretKeyStatus(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const row of await rowsWithSecrets()) {
    for (const { column } of SECRET_COLUMNS) {
      const ct = row[column];
      if (ct) counts[keyIdOfCiphertext(ct) ?? 'unknown'] = (counts[keyIdOfCiphertext(ct) ?? 'unknown'] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Re-encrypts every secret not sealed with the current key. Each row is updated in its own
 * transaction only if its ciphertexts are still the ones read, so a concurrent save is not lost.
 */
export async function reencryptAll(): Promise<{ reencrypted: number; rows: number }> {
  let reencrypted = 0;
  let rows = 0;
  for (const row of await rowsWithSecrets()) {
    const data: Record<string, string> = {};
    for (const { column, field } of SECRET_COLUMNS) {
      const ct = row[column];
      if (ct && !isSealedWithCurrentKey(ct)) data[column] = sealSecret(row.id, field, openSecret(row.id, field, ct));
    }
    const changed = Object.keys(data);
    if (!changed.length) continue;
    const where = { id: row.id, ...Object.fromEntries(changed.map((c) => [c, row[c]])) };
    const res = await db.notificationProfile.updateMany({ where, data });
    if (res.count === 1) {
      reencrypted += changed.length;
      rows += 1;
    }
  }
  return { reencrypted, rows };
}
