import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const read = <T>(file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as T;

type LockEntry = { hasInstallScript?: boolean };
const pkg = read<{ allowScripts?: Record<string, boolean> }>('package.json');
const lock = read<{ packages: Record<string, LockEntry> }>('package-lock.json');

/** Package names (not paths) of every locked dependency that has an install script. */
const withInstallScripts = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([location, entry]) => location !== '' && entry.hasInstallScript)
      .map(([location]) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  ),
].sort();

describe('install-script policy (package.json "allowScripts")', () => {
  it('decides on every locked dependency with an install script, and on nothing else', () => {
    // npm 12 skips an undecided script silently; npm 11 runs it with a warning. Either way it must be decided here.
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual(withInstallScripts);
  });

  it('approves only the native build of better-sqlite3', () => {
    const approved = Object.entries(pkg.allowScripts ?? {}).filter(([, allowed]) => allowed === true);
    expect(approved.map(([name]) => name)).toEqual(['better-sqlite3']);
  });
});
