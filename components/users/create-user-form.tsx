'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { addUser } from '@/app/(console)/users/actions';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input, Select } from '@/components/ui/field';
import { createUserSchema, type CreateUserInput } from '@/lib/validation/user';
import { callAction } from '@/lib/call-action';

const empty: CreateUserInput = { email: '', name: '', role: 'viewer', password: '', confirmPassword: '' };

export function CreateUserForm() {
  const [result, setResult] = useState<{ ok: boolean; message: string }>();
  const form = useForm<CreateUserInput>({ resolver: zodResolver(createUserSchema), defaultValues: empty });
  const { register, handleSubmit, formState } = form;
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    const res = await callAction(() => addUser(values));
    setResult({ ok: res.ok, message: res.message ?? '' });
    if (res.ok) form.reset(empty);
    else applyFieldErrors(form.setError, res.fieldErrors);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      {result?.message ? <Alert tone={result.ok ? 'success' : 'error'}>{result.message}</Alert> : null}
      <Field id="new-email" label="Email address" error={errors.email?.message}>
        <Input type="email" autoComplete="off" {...describedBy('new-email', errors.email?.message)} {...register('email')} />
      </Field>
      <Field id="new-name" label="Name" error={errors.name?.message}>
        <Input autoComplete="off" {...describedBy('new-name', errors.name?.message)} {...register('name')} />
      </Field>
      <Field id="new-role" label="Role" error={errors.role?.message}>
        <Select {...describedBy('new-role', errors.role?.message)} {...register('role')}>
          <option value="viewer">Viewer — read only</option>
          <option value="admin">Admin — can change settings</option>
        </Select>
      </Field>
      <Field id="new-password" label="Password" error={errors.password?.message}>
        <Input type="password" autoComplete="new-password" {...describedBy('new-password', errors.password?.message)} {...register('password')} />
      </Field>
      <Field id="new-confirm" label="Confirm password" error={errors.confirmPassword?.message}>
        <Input type="password" autoComplete="new-password" {...describedBy('new-confirm', errors.confirmPassword?.message)} {...register('confirmPassword')} />
      </Field>
      <Button type="submit" disabled={formState.isSubmitting}>Add user</Button>
    </form>
  );
}
