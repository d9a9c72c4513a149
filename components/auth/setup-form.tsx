'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { createFirstAdmin } from '@/app/(auth)/setup/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password-policy';
import { setupSchema } from '@/lib/validation/user';

export function SetupForm() {
  const router = useRouter();
  const { form, outcome, onSubmit } = useActionForm({
    schema: setupSchema,
    defaultValues: { email: '', name: '', password: '', confirmPassword: '' },
    action: createFirstAdmin,
    onSuccess: async (_, values) => {
      const signedIn = await signIn('credentials', { email: values.email, password: values.password, redirect: false });
      router.replace(signedIn?.ok ? '/' : '/login');
      router.refresh();
    },
  });

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      {outcome && !outcome.ok ? <Alert tone="error">{outcome.message}</Alert> : null}
      <FormField form={form} name="email" label="Email address" type="email" autoComplete="username" autoFocus />
      <FormField form={form} name="name" label="Name" hint="Shown in the activity log." autoComplete="name" />
      <FormField
        form={form}
        name="password"
        label="Password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        type="password"
        autoComplete="new-password"
      />
      <FormField form={form} name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" />
      <Button type="submit" className="w-full" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? 'Creating account…' : 'Create admin account'}
      </Button>
    </form>
  );
}
