'use client';

import { addUser } from '@/app/(console)/users/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { CreateUserInput } from '@/lib/validation/user';

const empty: CreateUserInput = { email: '', name: '', role: 'viewer', password: '', confirmPassword: '' };
const ROLE_OPTIONS = [
  { value: 'viewer', label: 'Viewer — read only' },
  { value: 'admin', label: 'Admin — can change settings' },
];

export function CreateUserForm() {
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/user').then((m) => m.createUserSchema),
    defaultValues: empty,
    action: addUser,
    onSuccess: (_res, _values, f) => f.reset(empty),
  });

  // Ids carry a prefix: the Users page also lists reset-password forms with the same field names.
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-3">
      {outcome?.message ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : null}
      <FormField form={form} name="email" id="new-email" label="Email address" type="email" autoComplete="off" />
      <FormField form={form} name="name" id="new-name" label="Name" autoComplete="off" />
      <FormField form={form} name="role" id="new-role" label="Role" options={ROLE_OPTIONS} />
      <FormField form={form} name="password" id="new-password" label="Password" type="password" autoComplete="new-password" />
      <FormField
        form={form}
        name="confirmPassword"
        id="new-confirm"
        label="Confirm password"
        type="password"
        autoComplete="new-password"
      />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        Add user
      </Button>
    </form>
  );
}
