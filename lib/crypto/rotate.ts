import { db, selectOf } from '@/lib/db';
import { SECRET_COLUMNS, type SecretColumn } from '@/lib/crypto/secret-fields';
import { isSealedWithCurrentKey, keyIdOfCiphertext, openSecret, sealSecret } from '@/lib/crypto';

function rowsWithSecrets() {
  const columns = [...new Set(SECRET_COLUMNS.map((c) => c.column))];
  return db.notificationProfile.findMany({ select: { id: true, ...selectOf(columns) } });
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
    const data: Partial<Record<SecretColumn['column'], string>> = {};
    const where: Partial<Record<SecretColumn['column'], string>> & { id: string } = { id: row.id };
    for (const { column, field } of SECRET_COLUMNS) {
      const ct = row[column];
      if (!ct || isSealedWithCurrentKey(ct)) continue;
      data[column] = sealSecret(row.id, field, openSecret(row.id, field, ct));
      where[column] = ct;
    }
    const changed = Object.keys(data);
    if (!changed.length) continue;
    const res = await db.notificationProfile.updateMany({ where, data });
    if (res.count === 1) {
      reencrypted += changed.length;
      rows += 1;
    }
  }
  return { reencrypted, rows };
}
