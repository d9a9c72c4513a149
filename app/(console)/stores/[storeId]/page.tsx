import { redirect } from 'next/navigation';

export default async function StorePage(props: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await props.params;
  redirect(`/stores/${storeId}/notifications`);
}
