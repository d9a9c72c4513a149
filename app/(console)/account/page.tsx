import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { Card, PageHeader } from '@/components/ui/card';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password-policy';
import { requireUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader title="Account" description={`${user.email} · ${user.role === 'admin' ? 'Admin' : 'Viewer'}`} />
      <Card title="Change password">
        <ChangePasswordForm minLength={MIN_PASSWORD_LENGTH} />
      </Card>
    </>
  );
}
