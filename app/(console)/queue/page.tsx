import type { Metadata } from 'next';
import { QueueView } from '@/components/queue/queue-view';
import { PageHeader } from '@/components/ui/card';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { queueFilterOf } from '@/lib/outbox/queries';

export const metadata: Metadata = { title: 'Queue' };

export default async function QueuePage(props: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const filter = queueFilterOf(await props.searchParams);
  return (
    <>
      <PageHeader
        title="Queue"
        description="The outbox of every identity store: what is waiting, what was sent, and what failed and why."
      />
      <QueueView filter={filter} basePath="/queue" canEdit={canChangeSettings(user)} />
    </>
  );
}
