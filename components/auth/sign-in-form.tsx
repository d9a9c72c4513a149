'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input } from '@/components/ui/field';
import { signInSchema } from '@/lib/validation/user';
import type { z } from 'zod';

type Values = z.input<typeof signInSchema>;

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const { register, handleSubmit, formState } = useForm<Values>({ resolver: zodResolver(signInSchema) });
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setError(undefined);
    const res = await signIn('credentials', { ...values, redirect: false });
    if (!res || res.error) {
      setError(
        res?.error && res.error !== 'CredentialsSignin'
          ? res.error
          : 'The email address or password is not correct.',
      );
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="email" label="Email address" error={errors.email?.message}>
        <Input type="email" autoComplete="username" autoFocus {...describedBy('email', errors.email?.message)} {...register('email')} />
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        <Input type="password" autoComplete="current-password" {...describedBy('password', errors.password?.message)} {...register('password')} />
      </Field>
      <Button type="submit" className="w-full" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
