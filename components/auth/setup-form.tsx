'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { createFirstAdmin } from '@/app/(auth)/setup/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input } from '@/components/ui/field';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password-policy';
import { setupSchema, type SetupInput } from '@/lib/validation/user';
import { callAction } from '@/lib/call-action';

export function SetupForm() {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const form = useForm<SetupInput>({
    resolver: zodResolver(setupSchema),
    defaultValues: { email: '', name: '', password: '', confirmPassword: '' },
  });
  const { register, handleSubmit, formState } = form;
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setError(undefined);
    const res = await callAction(() => createFirstAdmin(values));
    if (!res.ok) {
      setError(res.message);
      applyFieldErrors(form.setError, res.fieldErrors);
      return;
    }
    const signedIn = await signIn('credentials', { email: values.email, password: values.password, redirect: false });
    router.replace(signedIn?.ok ? '/' : '/login');
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="email" label="Email address" error={errors.email?.message}>
        <Input type="email" autoComplete="username" autoFocus {...describedBy('email', errors.email?.message)} {...register('email')} />
      </Field>
      <Field id="name" label="Name" hint="Shown in the activity log." error={errors.name?.message}>
        <Input autoComplete="name" {...describedBy('name', errors.name?.message)} {...register('name')} />
      </Field>
      <Field id="password" label="Password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...describedBy('password', errors.password?.message)} {...register('password')} />
      </Field>
      <Field id="confirmPassword" label="Confirm password" error={errors.confirmPassword?.message}>
        <Input type="password" autoComplete="new-password" {...describedBy('confirmPassword', errors.confirmPassword?.message)} {...register('confirmPassword')} />
      </Field>
      <Button type="submit" className="w-full" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? 'Creating account…' : 'Create admin account'}
      </Button>
    </form>
  );
}
