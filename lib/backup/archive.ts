/**
 * The backup archive (format in docs/backup.md): a magic line, a JSON line describing the archive
 * (no secrets), then the payload encrypted with AES-256-GCM under a key derived from the passphrase
 * with scrypt, then the 16-byte GCM tag. The payload is gzip of a JSON index line followed by the
 * files' bytes. The two text lines are the cipher's associated data, so they cannot be altered
 * unnoticed. Everything streams: the database is never held in memory.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { RefusedError } from '@/lib/errors';

const MAGIC = 'MAILROOM-BACKUP 1\n';
const TAG_BYTES = 16;
/** scrypt cost for new archives: 128 MiB and a fraction of a second, once per backup or restore. */
const KDF = { N: 2 ** 17, r: 8, p: 1 };
/** Bounds for archives read back, so a crafted header cannot demand unbounded memory. */
const MAX_KDF = { N: 2 ** 20, r: 16, p: 4 };
const MAX_HEADER_BYTES = 64 * 1024;

/** The files an archive may hold: the database copy and the keys; nothing else is ever extracted. */
export const ARCHIVE_FILES = { database: 'mailroom.db', keys: 'keys.json' } as const;
type ArchiveFileName = (typeof ARCHIVE_FILES)[keyof typeof ARCHIVE_FILES];
const isArchiveFile = (name: unknown): name is ArchiveFileName =>
  typeof name === 'string' && (Object.values(ARCHIVE_FILES) as string[]).includes(name);

/** What an archive says about itself, readable without the passphrase. */
export type ArchiveInfo = {
  createdAt: string;
  appVersion: string;
  database: 'sqlite';
  /** migrations applied in the archived database, oldest first */
  migrations: string[];
  keysIncluded: boolean;
  /** ids (fingerprints, not keys) of the keys configured when the backup was made */
  keyIds: { current: string; previous: string[] };
};

/** The Backup row that records an archive (Settings shows the latest), made by a backup or a restore. */
export const backupRecord = (info: ArchiveInfo, fileName: string) => ({
  createdAt: new Date(info.createdAt),
  fileName,
  keysIncluded: info.keysIncluded,
  schemaVersion: info.migrations.at(-1) ?? '',
});

type Header = ArchiveInfo & {
  kdf: { name: 'scrypt'; salt: string } & typeof KDF;
  cipher: { name: 'aes-256-gcm'; nonce: string };
  /** HMAC under a passphrase-derived key: a wrong passphrase is told apart from a damaged archive */
  check: string;
};

/** The keys file inside an archive made with keys. */
export type ArchivedKeys = { APP_ENCRYPTION_KEY: string; APP_ENCRYPTION_KEY_PREVIOUS: string[]; NEXTAUTH_SECRET: string };

export class WrongPassphraseError extends RefusedError {
  override name = 'WrongPassphraseError';
}

export class DamagedArchiveError extends RefusedError {
  override name = 'DamagedArchiveError';
}

async function deriveKeys(passphrase: string, kdf: Header['kdf']): Promise<{ key: Buffer; check: string }> {
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(kdf.salt, 'base64'),
      64,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
      (err, out) => (err ? reject(err) : resolve(out)),
    ),
  );
  const check = createHmac('sha256', derived.subarray(32)).update('mailroom backup passphrase check').digest('base64');
  return { key: derived.subarray(0, 32), check };
}

function fileDigest(file: string): Promise<string> {
  const hash = createHash('sha256');
  return pipeline(createReadStream(file), hash).then(() => hash.digest('hex'));
}

/**
 * Writes the archive to `out` (mode 0600) through a temporary file renamed into place, so a failed
 * backup never leaves a partial archive under the final name.
 */
export async function writeArchive(
  out: string,
  info: ArchiveInfo,
  files: { name: ArchiveFileName; path: string }[],
  passphrase: string,
): Promise<{ bytes: number }> {
  const kdf = { name: 'scrypt' as const, salt: randomBytes(16).toString('base64'), ...KDF };
  const nonce = randomBytes(12);
  const { key, check } = await deriveKeys(passphrase, kdf);
  const header: Header = { ...info, kdf, cipher: { name: 'aes-256-gcm', nonce: nonce.toString('base64') }, check };
  const prefix = Buffer.from(`${MAGIC}${JSON.stringify(header)}\n`, 'utf8');
  const index = await Promise.all(
    files.map(async (f) => ({ name: f.name, size: statSync(f.path).size, sha256: await fileDigest(f.path) })),
  );

  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    writeFileSync(tmp, prefix, { mode: 0o600 });
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(prefix);
    async function* payload() {
      yield Buffer.from(`${JSON.stringify({ files: index })}\n`, 'utf8');
      for (const f of files) yield* createReadStream(f.path);
    }
    await pipeline(Readable.from(payload()), createGzip(), cipher, createWriteStream(tmp, { flags: 'a' }));
    writeFileSync(tmp, cipher.getAuthTag(), { flag: 'a' });
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return { bytes: statSync(out).size };
}

function readPrefix(file: string): { header: Header; prefix: Buffer } {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(MAX_HEADER_BYTES);
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const notOurs = new RefusedError(`${file} is not a Mailroom backup archive.`);
  if (head.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw notOurs;
  const end = head.subarray(0, n).indexOf(0x0a, MAGIC.length);
  if (end < 0) throw notOurs;
  let header: Header;
  try {
    header = JSON.parse(head.subarray(MAGIC.length, end).toString('utf8')) as Header;
  } catch {
    throw new DamagedArchiveError(`${file}: the archive's description is damaged.`);
  }
  const { kdf } = header;
  if (
    kdf?.name !== 'scrypt' ||
    header.cipher?.name !== 'aes-256-gcm' ||
    !(kdf.N <= MAX_KDF.N && kdf.r <= MAX_KDF.r && kdf.p <= MAX_KDF.p)
  ) {
    throw new DamagedArchiveError(`${file}: unsupported key derivation or cipher in the archive's description.`);
  }
  return { header, prefix: head.subarray(0, end + 1) };
}

/** The archive's description, without the passphrase (for checks before asking for one). */
export function readArchiveInfo(file: string): ArchiveInfo {
  const { header } = readPrefix(file);
  return {
    createdAt: header.createdAt,
    appVersion: header.appVersion,
    database: header.database,
    migrations: header.migrations,
    keysIncluded: header.keysIncluded,
    keyIds: header.keyIds,
  };
}

export type UnlockedArchive = {
  info: ArchiveInfo;
  /**
   * Decrypts the files into `dir` (which must exist), checking each file's size and SHA-256 and the
   * GCM tag over everything; throws DamagedArchiveError when the content does not authenticate (the
   * caller discards `dir` then).
   */
  extractTo(dir: string): Promise<Partial<Record<ArchiveFileName, string>>>;
};

/** Checks the passphrase (WrongPassphraseError, before anything is written) and opens the archive. */
export async function unlockArchive(file: string, passphrase: string): Promise<UnlockedArchive> {
  const { header, prefix } = readPrefix(file);
  const { key, check } = await deriveKeys(passphrase, header.kdf);
  const expected = Buffer.from(String(header.check));
  if (expected.length !== check.length || !timingSafeEqual(Buffer.from(check), expected)) {
    throw new WrongPassphraseError('Wrong passphrase: the archive cannot be decrypted with it. Nothing was written.');
  }
  return {
    info: readArchiveInfo(file),
    async extractTo(dir) {
      const size = statSync(file).size;
      if (size < prefix.length + TAG_BYTES) throw new DamagedArchiveError(`${file} is truncated.`);
      const tag = Buffer.alloc(TAG_BYTES);
      const fd = openSync(file, 'r');
      readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
      closeSync(fd);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.cipher.nonce, 'base64'));
      decipher.setAAD(prefix);
      decipher.setAuthTag(tag);
      const unpacker = new Unpacker(dir);
      try {
        await pipeline(
          createReadStream(file, { start: prefix.length, end: size - TAG_BYTES - 1 }),
          decipher,
          createGunzip(),
          unpacker,
        );
      } catch (error) {
        unpacker.abort();
        if (error instanceof DamagedArchiveError) throw error;
        throw new DamagedArchiveError(
          `${file} is damaged or was altered (${error instanceof Error ? error.message : String(error)}).`,
        );
      }
      return unpacker.written;
    },
  };
}

type IndexEntry = { name: ArchiveFileName; size: number; sha256: string };

/** Splits the decrypted payload (index line, then each file's bytes in order) into files in `dir`. */
class Unpacker extends Writable {
  readonly written: Partial<Record<ArchiveFileName, string>> = {};
  private head = Buffer.alloc(0);
  private queue: IndexEntry[] | undefined;
  private current: { entry: IndexEntry; fd: number; left: number; hash: ReturnType<typeof createHash> } | undefined;

  constructor(private readonly dir: string) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    try {
      this.consume(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    done(
      this.queue && !this.current && !this.queue.length
        ? null
        : new DamagedArchiveError('The archive ends before its last file.'),
    );
  }

  abort(): void {
    if (this.current) closeSync(this.current.fd);
    this.current = undefined;
  }

  private consume(chunk: Buffer): void {
    let rest = chunk;
    if (!this.queue) {
      this.head = Buffer.concat([this.head, rest]);
      const nl = this.head.indexOf(0x0a);
      if (nl < 0) {
        if (this.head.length > MAX_HEADER_BYTES) throw new DamagedArchiveError('The archive has no file index.');
        return;
      }
      const parsed = JSON.parse(this.head.subarray(0, nl).toString('utf8')) as { files?: unknown };
      const entries = Array.isArray(parsed.files) ? (parsed.files as IndexEntry[]) : [];
      if (!entries.every((e) => isArchiveFile(e.name) && Number.isSafeInteger(e.size) && e.size >= 0)) {
        throw new DamagedArchiveError('The archive lists a file it may not hold.');
      }
      this.queue = entries;
      rest = this.head.subarray(nl + 1);
      this.next();
    }
    while (rest.length) {
      const cur = this.current;
      if (!cur) throw new DamagedArchiveError('The archive holds more data than its index lists.');
      const n = Math.min(rest.length, cur.left);
      writeSync(cur.fd, rest, 0, n);
      cur.hash.update(rest.subarray(0, n));
      cur.left -= n;
      rest = rest.subarray(n);
      if (cur.left === 0) this.next();
    }
  }

  /** Closes and verifies the file being written, then opens the next one (files of size 0 at once). */
  private next(): void {
    const cur = this.current;
    if (cur) {
      closeSync(cur.fd);
      this.current = undefined;
      if (cur.hash.digest('hex') !== cur.entry.sha256)
        throw new DamagedArchiveError(`${cur.entry.name} in the archive is damaged.`);
    }
    const entry = this.queue?.shift();
    if (!entry) return;
    const target = path.join(this.dir, entry.name);
    this.written[entry.name] = target;
    this.current = { entry, fd: openSync(target, 'wx', 0o600), left: entry.size, hash: createHash('sha256') };
    if (entry.size === 0) this.next();
  }
}
