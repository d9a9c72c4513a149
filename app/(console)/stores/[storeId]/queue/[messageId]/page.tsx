import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MessageDetail } from '@/components/queue/message-detail';
import { canChangeSettings } from '@/lib/auth/roles';
import { requireUser } from '@/lib/auth/session';
import { getQueueMessage } from '@/lib/outbox/queries';

export const metadata: Metadata = { title: 'Queued message' };

export default async function StoreQueueMessagePage(props: { params: Promise<{ storeId: string; messageId: string }> }) {
  const user = await requireUser();
  const { storeId, messageId } = await props.params;
  const m = await getQueueMessage(messageId, storeId);
  if (!m) notFound();
  const listPath = `/stores/${storeId}/queue`;
  return (
    <>
      <p className="mb-4 text-sm">
        <Link href={listPath} className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← Back to the queue
        </Link>
      </p>
      <MessageDetail m={m} canEdit={canChangeSettings(user)} storeId={storeId} listPath={listPath} />
    </>
  );
}
