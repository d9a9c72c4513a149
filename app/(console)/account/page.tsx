import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { Card, PageHeader } from '@/components/ui/card';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password-policy';
import { requireUser } from '@/lib/auth/session';
import { ROLE_LABELS } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Account' };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader title="Account" description={`${user.email} · ${ROLE_LABELS[user.role]}`} />
      <Card title="Change password">
        <ChangePasswordForm minLength={MIN_PASSWORD_LENGTH} />
      </Card>
    </>
  );
}
