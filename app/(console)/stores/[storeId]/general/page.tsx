import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StoreGeneralForms } from '@/components/stores/store-general-forms';
import { AdminOnly } from '@/components/shell/admin-only';
import { requireUser } from '@/lib/auth/session';
import { getStore } from '@/lib/stores/queries';
import { canChangeSettings } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'General' };

export default async function StoreGeneralPage(props: { params: Promise<{ storeId: string }> }) {
  const user = await requireUser();
  const { storeId } = await props.params;
  const store = await getStore(storeId);
  if (!store) notFound();
  if (!canChangeSettings(user)) return <AdminOnly what="rename or delete identity stores" />;
  return <StoreGeneralForms store={{ id: store.id, name: store.name }} />;
}
