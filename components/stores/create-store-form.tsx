'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { addStore } from '@/app/(console)/stores/actions';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input, Select } from '@/components/ui/field';
import { createStoreSchema, STORE_TYPE_LABELS, STORE_TYPES, type CreateStoreInput } from '@/lib/validation/store';
import { callAction } from '@/lib/call-action';

export function CreateStoreForm() {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const form = useForm<CreateStoreInput>({ resolver: zodResolver(createStoreSchema), defaultValues: { name: '', type: 'active_directory' } });
  const { register, handleSubmit, formState } = form;
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setError(undefined);
    const res = await callAction(() => addStore(values));
    if (!res.ok) {
      setError(res.message);
      applyFieldErrors(form.setError, res.fieldErrors);
      return;
    }
    if (res.data) router.push(`/stores/${res.data.id}/notifications`);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="store-name" label="Name" error={errors.name?.message}>
        <Input placeholder="Contoso AD" {...describedBy('store-name', errors.name?.message)} {...register('name')} />
      </Field>
      <Field id="store-type" label="Type" error={errors.type?.message}>
        <Select {...describedBy('store-type', errors.type?.message)} {...register('type')}>
          {STORE_TYPES.map((t) => <option key={t} value={t}>{STORE_TYPE_LABELS[t]}</option>)}
        </Select>
      </Field>
      <Button type="submit" disabled={formState.isSubmitting}>Create identity store</Button>
    </form>
  );
}
