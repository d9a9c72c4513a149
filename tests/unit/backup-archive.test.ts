import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DamagedArchiveError,
  readArchiveInfo,
  unlockArchive,
  WrongPassphraseError,
  writeArchive,
  type ArchiveInfo,
} from '@/lib/backup/archive';

const PASSPHRASE = 'correct horse battery staple';
const info: ArchiveInfo = {
  createdAt: '2026-11-28T12:00:00.000Z',
  appVersion: '0.1.0',
  database: 'sqlite',
  migrations: ['20261123114537_init'],
  keysIncluded: true,
  keyIds: { current: 'aabbccdd', previous: [] },
};
let dir: string;
let archive: string;
const database = randomBytes(300_000); // larger than one stream chunk
const keys = JSON.stringify({ APP_ENCRYPTION_KEY: 'k', APP_ENCRYPTION_KEY_PREVIOUS: [], NEXTAUTH_SECRET: 'n' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mailroom-archive-'));
  writeFileSync(path.join(dir, 'db'), database);
  writeFileSync(path.join(dir, 'keys'), keys);
  archive = path.join(dir, 'backup.mrbak');
  await writeArchive(
    archive,
    info,
    [
      { name: 'mailroom.db', path: path.join(dir, 'db') },
      { name: 'keys.json', path: path.join(dir, 'keys') },
    ],
    PASSPHRASE,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const freshDir = () => mkdtempSync(path.join(dir, 'out-'));
const extract = async (file: string, passphrase: string, out: string) => (await unlockArchive(file, passphrase)).extractTo(out);

/** A copy of the archive with `edit` applied to its bytes. */
function altered(edit: (bytes: Buffer) => Buffer): string {
  const copy = path.join(dir, `altered-${randomBytes(3).toString('hex')}`);
  writeFileSync(copy, edit(Buffer.from(readFileSync(archive))));
  return copy;
}

describe('backup archive', () => {
  it('round-trips the files; the description is readable without the passphrase and holds no secret', async () => {
    expect(readArchiveInfo(archive)).toEqual(info);
    const raw = readFileSync(archive);
    expect(raw.includes(Buffer.from(keys))).toBe(false);
    expect(raw.subarray(0, 18).toString()).toBe('MAILROOM-BACKUP 1\n');

    const out = freshDir();
    const files = await extract(archive, PASSPHRASE, out);
    expect(readFileSync(files['mailroom.db']!).equals(database)).toBe(true);
    expect(readFileSync(files['keys.json']!, 'utf8')).toBe(keys);
  });

  it('refuses a wrong passphrase before writing anything', async () => {
    const out = freshDir();
    await expect(extract(archive, 'not the passphrase', out)).rejects.toBeInstanceOf(WrongPassphraseError);
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses altered content, an altered description and a truncated file', async () => {
    const flipped = altered((b) => {
      b[b.length - 100] ^= 1;
      return b;
    });
    await expect(extract(flipped, PASSPHRASE, freshDir())).rejects.toBeInstanceOf(DamagedArchiveError);

    // The description is authenticated: claiming "no keys" fails even though the JSON is valid.
    const relabelled = altered((b) =>
      Buffer.from(b.toString('latin1').replace('"keysIncluded":true', '"keysIncluded":false'), 'latin1'),
    );
    expect(readArchiveInfo(relabelled).keysIncluded).toBe(false);
    await expect(extract(relabelled, PASSPHRASE, freshDir())).rejects.toBeInstanceOf(DamagedArchiveError);

    const truncated = altered((b) => b.subarray(0, b.length - 5000));
    await expect(extract(truncated, PASSPHRASE, freshDir())).rejects.toBeInstanceOf(DamagedArchiveError);

    const notOurs = path.join(dir, 'notes.txt');
    writeFileSync(notOurs, 'hello');
    expect(() => readArchiveInfo(notOurs)).toThrow('is not a Mailroom backup archive');
  });
});
