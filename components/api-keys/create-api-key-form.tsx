'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { addApiKey } from '@/app/(console)/stores/[storeId]/api/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { CopyField } from '@/components/notifications/copy-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { curlExample } from '@/lib/api-keys/curl';

export function CreateApiKeyForm({ storeId, endpoint }: { storeId: string; endpoint: string }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; key: string }>();
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/store').then((m) => m.createApiKeySchema),
    defaultValues: { storeId, name: '' },
    action: (values) => {
      setCreated(undefined);
      return addApiKey(values);
    },
    onSuccess: (res, values, f) => {
      if (res.data) setCreated({ name: values.name.trim(), key: res.data.key });
      f.reset({ storeId, name: '' });
      router.refresh();
    },
  });

  return (
    <div className="space-y-4">
      {created ? (
        <div
          data-testid="new-api-key"
          className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950"
        >
          <p className="text-sm font-semibold text-emerald-900 dark:text-emerald-100">
            Key “{created.name}” created. Copy it now: it is shown only once and cannot be recovered.
          </p>
          <CopyField id="new-api-key-value" label="API key" value={created.key} />
          <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            {curlExample(endpoint, created.key)}
          </pre>
          <Button variant="secondary" onClick={() => setCreated(undefined)}>
            I have stored the key
          </Button>
        </div>
      ) : null}
      <form method="post" onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3">
        {outcome && !outcome.ok ? (
          <div className="w-full">
            <Alert tone="error">{outcome.message}</Alert>
          </div>
        ) : null}
        <FormField
          form={form}
          name="name"
          id="api-key-name"
          label="Key name"
          hint="The system that will use it, e.g. Helpdesk or Directory Manager."
          placeholder="Helpdesk"
          maxLength={80}
          className="min-w-64 flex-1"
        />
        <Button type="submit" className="mt-7" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? 'Creating…' : 'Create API key'}
        </Button>
      </form>
    </div>
  );
}
