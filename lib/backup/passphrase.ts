import { readFileSync } from 'node:fs';
import { backupPassphraseFromEnv } from '@/lib/env';
import { RefusedError } from '@/lib/errors';

/** The passphrase protects the encryption key inside the archive, so it is held to a password's length. */
const MIN_PASSPHRASE_LENGTH = 12;

/**
 * The archive passphrase: from --passphrase-file, else MAILROOM_BACKUP_PASSPHRASE, else typed in a
 * terminal (twice for a backup). Never from the command line, where `ps` and shell history show it.
 */
export async function obtainPassphrase(purpose: 'backup' | 'restore', file?: string): Promise<string> {
  let value = file === undefined ? backupPassphraseFromEnv() : readPassphraseFile(file);
  if (value === undefined) {
    if (!process.stdin.isTTY) {
      throw new RefusedError(
        'A passphrase is needed: --passphrase-file FILE or MAILROOM_BACKUP_PASSPHRASE (or run it in a terminal to type it).',
      );
    }
    value = await promptHidden('Backup passphrase: ');
    if (purpose === 'backup' && (await promptHidden('Type it again: ')) !== value)
      throw new RefusedError('The two passphrases differ.');
  }
  if (purpose === 'backup' && value.length < MIN_PASSPHRASE_LENGTH) {
    throw new RefusedError(
      `Use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters: it protects the encryption key in the archive.`,
    );
  }
  return value;
}

function readPassphraseFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new RefusedError(`Cannot read the passphrase file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (result: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      result();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(value));
        if (ch === '\u0003' || ch === '\u0004') return finish(() => reject(new RefusedError('Cancelled.')));
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}
