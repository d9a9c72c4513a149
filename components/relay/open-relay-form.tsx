'use client';

import { useRouter } from 'next/navigation';
import { saveOpenRelay } from '@/app/(console)/stores/[storeId]/relay/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FROM_POLICIES, FROM_POLICY_LABELS, type FromPolicy } from '@/lib/relay/from-policy';

const policyOptions = FROM_POLICIES.map((p) => ({ value: p, label: FROM_POLICY_LABELS[p] }));

export function OpenRelayForm({
  storeId,
  openSources,
  fromPolicy,
}: {
  storeId: string;
  openSources: string[];
  fromPolicy: FromPolicy;
}) {
  const router = useRouter();
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/relay').then((m) => m.relayAccessSchema),
    defaultValues: { storeId, openSources: openSources.join(', '), fromPolicy },
    action: saveOpenRelay,
    onSuccess: () => router.refresh(),
  });
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="grid gap-x-4 sm:grid-cols-2">
      {outcome ? (
        <div className="mb-3 sm:col-span-2">
          <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert>
        </div>
      ) : null}
      <FormField
        form={form}
        name="openSources"
        id="relay-open-sources"
        label="Addresses that may send without logging in"
        hint="Only for devices that cannot log in (an old printer). IPs or CIDR ranges, separated by commas; empty: none."
        placeholder="192.0.2.50"
        autoComplete="off"
      />
      <FormField form={form} name="fromPolicy" id="relay-open-from-policy" label="Other senders" options={policyOptions} />
      <div>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </form>
  );
}
