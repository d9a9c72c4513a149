'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { addRelayCredential } from '@/app/(console)/stores/[storeId]/relay/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { CopyField } from '@/components/notifications/copy-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FROM_POLICIES, FROM_POLICY_LABELS } from '@/lib/relay/from-policy';

const policyOptions = FROM_POLICIES.map((p) => ({ value: p, label: FROM_POLICY_LABELS[p] }));

export function CreateRelayCredentialForm({ storeId, connect }: { storeId: string; connect: string }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ username: string; password: string }>();
  const empty = { storeId, username: '', sources: '', fromPolicy: 'refuse' as const };
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/relay').then((m) => m.createRelayCredentialSchema),
    defaultValues: empty,
    action: (values) => {
      setCreated(undefined);
      return addRelayCredential(values);
    },
    onSuccess: (res, _values, f) => {
      if (res.data) setCreated(res.data);
      f.reset(empty);
      router.refresh();
    },
  });

  return (
    <div className="space-y-4">
      {created ? (
        <div
          data-testid="new-relay-credential"
          className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-4 dark:border-emerald-900 dark:bg-emerald-950"
        >
          <p className="text-sm font-semibold text-emerald-900 dark:text-emerald-100">
            Credential “{created.username}” created. Copy the password now: it is shown only once and cannot be recovered.
          </p>
          <CopyField id="new-relay-username" label="Username" value={created.username} />
          <CopyField id="new-relay-password" label="Password" value={created.password} />
          <p className="text-xs text-emerald-900 dark:text-emerald-100">{connect}</p>
          <Button variant="secondary" onClick={() => setCreated(undefined)}>
            I have stored the password
          </Button>
        </div>
      ) : null}
      <form method="post" onSubmit={onSubmit} noValidate className="grid gap-x-4 sm:grid-cols-2">
        {outcome && !outcome.ok ? (
          <div className="mb-3 sm:col-span-2">
            <Alert tone="error">{outcome.message}</Alert>
          </div>
        ) : null}
        <FormField
          form={form}
          name="username"
          id="relay-username"
          label="Username (optional)"
          hint="The system that will use it, e.g. helpdesk or printer-3rd-floor. Empty: one is generated."
          placeholder="printer-3rd-floor"
          maxLength={64}
          autoComplete="off"
        />
        <FormField
          form={form}
          name="sources"
          id="relay-sources"
          label="Allowed from (optional)"
          hint="IP addresses or CIDR ranges, separated by commas. Empty: any address."
          placeholder="192.0.2.10, 10.1.0.0/16"
          autoComplete="off"
        />
        <FormField
          form={form}
          name="fromPolicy"
          id="relay-from-policy"
          label="Other senders"
          hint="What happens when the system sends as another address than the store’s From address."
          options={policyOptions}
        />
        <div className="flex items-start pt-7">
          <Button type="submit" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? 'Creating…' : 'Create relay credential'}
          </Button>
        </div>
      </form>
    </div>
  );
}
