'use client';

import { signOut } from 'next-auth/react';
import { changePassword } from '@/app/(console)/account/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/user').then((m) => m.changePasswordSchema),
    defaultValues: { currentPassword: '', password: '', confirmPassword: '' },
    action: changePassword,
    // The change ended every session, this one too: sign in again with the new password.
    onSuccess: () => signOut({ callbackUrl: '/login?password=changed' }),
  });

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
      {outcome && !outcome.ok ? <Alert tone="error">{outcome.message}</Alert> : null}
      <FormField form={form} name="currentPassword" label="Current password" type="password" autoComplete="current-password" />
      <FormField
        form={form}
        name="password"
        label="New password"
        hint={`At least ${minLength} characters.`}
        type="password"
        autoComplete="new-password"
      />
      <FormField form={form} name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" />
      <p className="text-xs text-slate-500">Changing it signs you out everywhere, in every browser.</p>
      <Button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? 'Changing…' : 'Change password'}
      </Button>
    </form>
  );
}
