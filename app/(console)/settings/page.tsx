import type { Metadata } from 'next';
import { BackupCard, KeysCard, SystemCard } from '@/components/settings/settings-cards';
import { PageHeader } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { getSystemSettings } from '@/lib/settings/queries';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  await requireUser();
  const settings = await getSystemSettings();
  return (
    <>
      <PageHeader
        title="Settings"
        description="How this Mailroom runs: version, database, encryption keys and backups. They are set on the server; this page only shows them."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <BackupCard backup={settings.lastBackup} database={settings.database.kind} />
        <SystemCard settings={settings} />
        <KeysCard keys={settings.keys} />
      </div>
    </>
  );
}
