'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { addApiKey } from '@/app/(console)/stores/[storeId]/api/actions';
import { applyFieldErrors } from '@/components/forms/apply-field-errors';
import { CopyField } from '@/components/notifications/copy-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { describedBy, Field, Input } from '@/components/ui/field';
import { callAction } from '@/lib/call-action';
import { createApiKeySchema, type CreateApiKeyInput } from '@/lib/validation/store';

export function CreateApiKeyForm({ storeId, endpoint }: { storeId: string; endpoint: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const form = useForm<CreateApiKeyInput>({ resolver: zodResolver(createApiKeySchema), defaultValues: { storeId, name: '' } });
  const { register, handleSubmit, formState, reset } = form;
  const nameError = formState.errors.name?.message;

  const onSubmit = handleSubmit(async (values) => {
    setError(undefined);
    setCreated(undefined);
    const res = await callAction(() => addApiKey(values));
    if (!res.ok || !res.data) {
      setError(res.message);
      applyFieldErrors(form.setError, res.ok ? undefined : res.fieldErrors);
      return;
    }
    setCreated({ name: values.name.trim(), key: res.data.key });
    reset({ storeId, name: '' });
    router.refresh();
  });

  return (
    <div className="space-y-4">
      {created ? (
        <div data-testid="new-api-key" className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950">
          <p className="text-sm font-semibold text-emerald-900 dark:text-emerald-100">
            Key “{created.name}” created. Copy it now: it is shown only once and cannot be recovered.
          </p>
          <CopyField id="new-api-key-value" label="API key" value={created.key} />
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{curlExample(endpoint, created.key)}</pre>
          <Button variant="secondary" onClick={() => setCreated(undefined)}>I have stored the key</Button>
        </div>
      ) : null}
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3">
        {error ? <div className="w-full"><Alert tone="error">{error}</Alert></div> : null}
        <Field id="api-key-name" label="Key name" error={nameError} hint="The system that will use it, e.g. Helpdesk or Directory Manager." className="min-w-64 flex-1">
          <Input placeholder="Helpdesk" maxLength={80} {...describedBy('api-key-name', nameError)} {...register('name')} />
        </Field>
        <Button type="submit" className="mt-7" disabled={formState.isSubmitting}>{formState.isSubmitting ? 'Creating…' : 'Create API key'}</Button>
      </form>
    </div>
  );
}

export function curlExample(endpoint: string, key: string): string {
  return [
    `curl -X POST ${endpoint} \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '{"to": ["user@example.com"], "subject": "Your password expires in 3 days", "text": "Hello,\\n\\nplease change your password."}'`,
  ].join('\n');
}
