import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { Cell, Table } from '@/components/ui/table';
import { formatUtc } from '@/lib/format';
import type { KeyUse, SystemSettings } from '@/lib/settings/queries';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 py-2 text-sm">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

const Command = ({ children }: { children: string }) => (
  <code className="mt-2 block rounded bg-slate-100 px-3 py-2 font-mono text-xs dark:bg-slate-800">{children}</code>
);

export function BackupCard({ backup, database }: { backup: SystemSettings['lastBackup']; database: 'sqlite' | 'postgresql' }) {
  if (database === 'postgresql') {
    return (
      <Card title="Backup" description="PostgreSQL is backed up with its own tools.">
        <p className="text-sm">
          Back up the database with <code>pg_dump</code> and keep <code>APP_ENCRYPTION_KEY</code> (and{' '}
          <code>NEXTAUTH_SECRET</code>) in your secret store: without the key, the stored passwords and tokens in a dump cannot be
          decrypted. See docs/backup.md.
        </p>
      </Card>
    );
  }
  return (
    <Card title="Backup" description="The database and the keys that decrypt its secrets, in one encrypted archive.">
      {backup ? (
        <dl data-testid="last-backup">
          <Row label="Last backup">
            {formatUtc(backup.createdAt)} ({backup.daysAgo === 0 ? 'today' : `${backup.daysAgo} days ago`})
          </Row>
          <Row label="Archive">{backup.fileName}</Row>
          <Row label="Keys">
            {backup.keysIncluded ? 'included (encrypted with the passphrase)' : 'not included: kept apart from the archive'}
          </Row>
          {backup.restoredAt ? (
            <Row label="Restored">this database was restored from it on {formatUtc(backup.restoredAt)}</Row>
          ) : null}
        </dl>
      ) : (
        <div data-testid="last-backup">
          <Alert tone="warning" title="Never backed up">
            Losing the data directory loses every stored password and token. On the server, run:
            <Command>npm run backup -- --out /a/safe/place/mailroom.mrbak</Command>
          </Alert>
        </div>
      )}
    </Card>
  );
}

export function SystemCard({ settings }: { settings: SystemSettings }) {
  return (
    <Card title="Version and database">
      <dl>
        <Row label="Mailroom">{settings.appVersion}</Row>
        <Row label="Schema">
          {settings.schema.latest ?? 'no migration applied'} ({settings.schema.applied} migrations applied)
        </Row>
        <Row label="Database">{settings.database.kind === 'sqlite' ? 'Embedded SQLite' : 'PostgreSQL'}</Row>
        <Row label={settings.database.kind === 'sqlite' ? 'File' : 'Server'}>{settings.database.location}</Row>
      </dl>
    </Card>
  );
}

const roleText: Record<KeyUse['role'], string> = {
  current: 'current (encrypts new secrets)',
  previous: 'previous (decrypts only)',
  'not configured': 'NOT CONFIGURED',
};

export function KeysCard({ keys }: { keys: KeyUse[] }) {
  return (
    <Card title="Encryption keys" description="Key ids are fingerprints of the keys, not the keys themselves.">
      <Table columns={['Key id', 'Role', 'Stored secrets']}>
        {keys.map((k) => (
          <tr key={k.id}>
            <Cell className="font-mono">{k.id}</Cell>
            <Cell className={k.role === 'not configured' ? 'font-semibold text-rose-700 dark:text-rose-300' : ''}>
              {roleText[k.role]}
            </Cell>
            <Cell>{k.secrets}</Cell>
          </tr>
        ))}
      </Table>
      {keys.some((k) => k.role === 'previous' && k.secrets > 0) ? (
        <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">
          Secrets still use a previous key: run <code>npm run keys -- rotate</code> on the server.
        </p>
      ) : null}
    </Card>
  );
}
