import type { Metadata } from 'next';
import Link from 'next/link';
import { AddChannelForm } from '@/components/alerts/add-channel-form';
import { AlertSettingsForm } from '@/components/alerts/alert-settings-form';
import { ChannelList } from '@/components/alerts/channel-list';
import { HistoryTable } from '@/components/alerts/history-table';
import { Alert } from '@/components/ui/alert';
import { Card, PageHeader } from '@/components/ui/card';
import { getAlertsPage } from '@/lib/alerts/queries';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { formatUtc } from '@/lib/format';

export const metadata: Metadata = { title: 'Alerts' };

export default async function AlertsPage() {
  const user = await requireUser();
  const canEdit = canChangeSettings(user);
  const { settings, channels, stores, open, recent } = await getAlertsPage();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Alerts"
        description="Tells admins when notifications are about to stop or have stopped: a connection to redo, a secret about to expire, failing sends, a growing queue."
      />
      <Card title="Open alerts" description="Conditions that hold now; each is sent again at the repeat interval until it ends.">
        {open.length ? (
          <ul className="space-y-3">
            {open.map((a) => (
              <li key={a.id} data-testid="open-alert">
                <Alert tone={a.severity === 'error' ? 'error' : 'warning'} title={a.title}>
                  <p>{a.detail}</p>
                  <p className="mt-1 text-xs opacity-80">
                    Since {formatUtc(a.startedAt)} · last sent {formatUtc(a.lastNotifiedAt)}
                  </p>
                </Alert>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">Nothing needs attention.</p>
        )}
      </Card>
      <Card
        title="Channels"
        description="Where alerts go. Webhook URLs and signing secrets are write-only: they are stored encrypted."
      >
        <div className="space-y-6">
          <ChannelList channels={channels} canEdit={canEdit} />
          {canEdit ? (
            <div className="border-t border-slate-200 pt-5 dark:border-slate-800">
              <h3 className="mb-3 text-sm font-semibold">Add a channel</h3>
              <AddChannelForm stores={stores} />
            </div>
          ) : (
            <p className="text-sm text-slate-500">Only admins can change channels and send test alerts.</p>
          )}
        </div>
      </Card>
      <Card title="Thresholds and token keep-alive">
        <AlertSettingsForm values={settings} canEdit={canEdit} />
      </Card>
      <Card
        title="Recent alerts"
        actions={
          <Link href="/alerts/history" className="text-sm font-medium text-indigo-700 underline dark:text-indigo-300">
            Full history
          </Link>
        }
      >
        <HistoryTable rows={recent} />
      </Card>
    </div>
  );
}
