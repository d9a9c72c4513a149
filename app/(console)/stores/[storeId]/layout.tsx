import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { StoreTabs } from '@/components/stores/store-tabs';
import { PageHeader } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/session';
import { getStore } from '@/lib/stores/queries';
import { STORE_TYPE_LABELS, STORE_TYPES } from '@/lib/validation/store';

export default async function StoreLayout(props: { children: ReactNode; params: Promise<{ storeId: string }> }) {
  await requireUser();
  const { storeId } = await props.params;
  const store = await getStore(storeId);
  if (!store) notFound();
  const type = STORE_TYPES.find((t) => t === store.type);
  return (
    <>
      <p className="mb-2 text-sm text-slate-500">
        <Link href="/stores" className="hover:underline">
          Identity Stores
        </Link>{' '}
        / Settings
      </p>
      <PageHeader title={store.name} description={type ? STORE_TYPE_LABELS[type] : store.type} />
      <StoreTabs storeId={store.id} />
      {props.children}
    </>
  );
}
