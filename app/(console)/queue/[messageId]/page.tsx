import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MessageDetail } from '@/components/queue/message-detail';
import { PageHeader } from '@/components/ui/card';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getQueueMessage } from '@/lib/outbox/queries';

export const metadata: Metadata = { title: 'Queued message' };

export default async function QueueMessagePage(props: { params: Promise<{ messageId: string }> }) {
  const user = await requireUser();
  const { messageId } = await props.params;
  const m = await getQueueMessage(messageId);
  if (!m) notFound();
  return (
    <>
      <p className="mb-2 text-sm text-slate-500">
        <Link href="/queue" className="hover:underline">
          Queue
        </Link>{' '}
        / Message
      </p>
      <PageHeader title="Queued message" />
      <MessageDetail m={m} canEdit={canChangeSettings(user)} listPath="/queue" />
    </>
  );
}
