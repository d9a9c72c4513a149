'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { resetUserPassword } from '@/app/(console)/users/actions';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input } from '@/components/ui/field';
import { callAction } from '@/lib/call-action';
import { resetUserPasswordSchema, type ResetUserPasswordInput } from '@/lib/validation/user';

/** An admin sets a new password for someone else (who lost theirs); their sessions end. */
export function ResetPasswordForm({ userId, email, onDone }: { userId: string; email: string; onDone: (result: { ok: boolean; message: string }) => void }) {
  const form = useForm<ResetUserPasswordInput>({ resolver: zodResolver(resetUserPasswordSchema), defaultValues: { id: userId, password: '', confirmPassword: '' } });
  const { register, handleSubmit, formState } = form;
  const errors = formState.errors;
  const ids = { password: `reset-${userId}-password`, confirm: `reset-${userId}-confirm` };

  const onSubmit = handleSubmit(async (values) => {
    const res = await callAction(() => resetUserPassword(values));
    if (!res.ok) {
      applyFieldErrors(form.setError, res.fieldErrors);
      if (!res.fieldErrors) onDone({ ok: false, message: res.message });
      return;
    }
    onDone({ ok: true, message: res.message ?? 'Password reset.' });
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-label={`New password for ${email}`} className="mt-3 flex w-full flex-wrap items-start gap-3">
      <Field id={ids.password} label="New password" error={errors.password?.message} className="min-w-56 flex-1">
        <Input type="password" autoComplete="new-password" {...describedBy(ids.password, errors.password?.message)} {...register('password')} />
      </Field>
      <Field id={ids.confirm} label="Confirm new password" error={errors.confirmPassword?.message} className="min-w-56 flex-1">
        <Input type="password" autoComplete="new-password" {...describedBy(ids.confirm, errors.confirmPassword?.message)} {...register('confirmPassword')} />
      </Field>
      <Button type="submit" className="mt-7" disabled={formState.isSubmitting}>Set password</Button>
    </form>
  );
}
