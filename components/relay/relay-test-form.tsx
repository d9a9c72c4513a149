'use client';

import { useState } from 'react';
import { sendRelayTest } from '@/app/(console)/stores/[storeId]/relay/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { RelayTestResult } from '@/lib/relay/self-test';

export function RelayTestForm({ storeId, defaultTo }: { storeId: string; defaultTo: string }) {
  const [result, setResult] = useState<RelayTestResult>();
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/relay').then((m) => m.relayTestSchema),
    defaultValues: { storeId, to: defaultTo },
    action: (values) => {
      setResult(undefined);
      return sendRelayTest(values);
    },
    onSuccess: (res) => setResult(res.data),
  });
  const busy = form.formState.isSubmitting;
  return (
    <div className="space-y-4">
      <form method="post" onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3">
        <FormField form={form} name="to" id="relay-test-to" label="Recipient" type="email" className="min-w-64 flex-1" />
        <Button type="submit" className="mt-7" disabled={busy}>
          {busy ? 'Sending through the relay…' : 'Send a test through the relay'}
        </Button>
      </form>
      {outcome && !outcome.ok ? <Alert tone="error">{outcome.message}</Alert> : null}
      {result ? (
        <div data-testid="relay-test-result" className="space-y-2">
          <Alert
            tone={result.ok ? 'success' : 'error'}
            title={result.ok ? 'Delivered through the relay' : 'The test did not get through'}
          >
            <ol className="mt-1 space-y-1">
              {result.steps.map((s) => (
                <li key={s.label}>
                  <span className="font-medium">
                    {s.ok ? '✓' : '✗'} {s.label}:
                  </span>{' '}
                  <span className="break-words">{s.detail}</span>
                </li>
              ))}
            </ol>
          </Alert>
        </div>
      ) : null}
    </div>
  );
}
