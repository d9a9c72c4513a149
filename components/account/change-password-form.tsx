'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signOut } from 'next-auth/react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { changePassword } from '@/app/(console)/account/actions';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input } from '@/components/ui/field';
import { callAction } from '@/lib/call-action';
import { changePasswordSchema, type ChangePasswordInput } from '@/lib/validation/user';

export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const [error, setError] = useState<string>();
  const form = useForm<ChangePasswordInput>({ resolver: zodResolver(changePasswordSchema), defaultValues: { currentPassword: '', password: '', confirmPassword: '' } });
  const { register, handleSubmit, formState } = form;
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setError(undefined);
    const res = await callAction(() => changePassword(values));
    if (!res.ok) {
      setError(res.message);
      applyFieldErrors(form.setError, res.fieldErrors);
      return;
    }
    // The change ended every session, this one too: sign in again with the new password.
    await signOut({ callbackUrl: '/login?password=changed' });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="currentPassword" label="Current password" error={errors.currentPassword?.message}>
        <Input type="password" autoComplete="current-password" {...describedBy('currentPassword', errors.currentPassword?.message)} {...register('currentPassword')} />
      </Field>
      <Field id="password" label="New password" hint={`At least ${minLength} characters.`} error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...describedBy('password', errors.password?.message)} {...register('password')} />
      </Field>
      <Field id="confirmPassword" label="Confirm new password" error={errors.confirmPassword?.message}>
        <Input type="password" autoComplete="new-password" {...describedBy('confirmPassword', errors.confirmPassword?.message)} {...register('confirmPassword')} />
      </Field>
      <p className="text-xs text-slate-500">Changing it signs you out everywhere, in every browser.</p>
      <Button type="submit" disabled={formState.isSubmitting}>{formState.isSubmitting ? 'Changing…' : 'Change password'}</Button>
    </form>
  );
}
