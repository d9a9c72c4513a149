import type { Metadata } from 'next';
import { AdminOnly } from '@/components/shell/admin-only';
import { Card, PageHeader } from '@/components/ui/card';
import { CreateUserForm } from '@/components/users/create-user-form';
import { UserRow } from '@/components/users/user-row';
import { requireUser } from '@/lib/auth/session';
import { listUsers } from '@/lib/users/queries';
import { canChangeSettings } from '@/lib/auth/roles';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const user = await requireUser();
  if (!canChangeSettings(user)) return <AdminOnly what="manage users" />;
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Admins change settings, connect OAuth and send tests. Viewers can look but not change anything."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <Card title="Accounts">
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {users.map((u) => (
              <UserRow key={u.id} user={u} isSelf={u.id === user.id} />
            ))}
          </ul>
        </Card>
        <Card title="Add a user">
          <CreateUserForm />
        </Card>
      </div>
    </>
  );
}
