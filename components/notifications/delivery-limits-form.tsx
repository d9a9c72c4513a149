'use client';

import { useRouter } from 'next/navigation';
import { saveLimits } from '@/app/(console)/stores/[storeId]/notifications/limits-actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Section } from '@/components/notifications/section';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { DeliveryLimitsView } from '@/lib/outbox/queries';
import type { DeliveryLimitsInput, DeliveryLimitsValues } from '@/lib/validation/outbox';

const text = (v: number | null) => (v === null ? '' : String(v));
const fmt = (v: number) => v.toLocaleString('en');
const asInput = (v: DeliveryLimitsValues): DeliveryLimitsInput => ({
  sendPerMinute: text(v.sendPerMinute),
  maxConnections: text(v.maxConnections),
  dailyRecipientLimit: text(v.dailyRecipientLimit),
  maxAttempts: String(v.maxAttempts),
});

/**
 * The outbox's limits for this store, saved on their own (not with the settings above): each field
 * left empty follows the provider's default, shown under it.
 */
export function DeliveryLimitsForm({
  storeId,
  limits,
  canEdit,
}: {
  storeId: string;
  limits: DeliveryLimitsView;
  canEdit: boolean;
}) {
  const router = useRouter();
  const d = limits.defaults;
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/outbox').then((m) => m.deliveryLimitsSchema),
    defaultValues: asInput(limits.values),
    // The server parses the same schema again, so it gets the fields as typed.
    action: (values) => saveLimits({ storeId, values: asInput(values) }),
    fieldPrefix: 'values.',
    onSuccess: (_res, _values, f) => {
      f.reset(f.getValues());
      router.refresh();
    },
  });
  const provider = limits.providerName;
  const common = { form, disabled: !canEdit, inputMode: 'numeric' as const, autoComplete: 'off' };
  return (
    <Section
      id="delivery-limits"
      title="Delivery limits"
      description={`How fast the outbox sends through this store. Empty fields follow ${provider}’s limits.`}
    >
      <form method="post" onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Delivery limits">
        <div className="grid gap-4 sm:grid-cols-2">
          <FormField
            {...common}
            name="sendPerMinute"
            id="limits-per-minute"
            label="Messages per minute"
            placeholder={d.perMinute ? String(d.perMinute) : 'No limit'}
            hint={d.perMinute ? `Empty: ${d.perMinute} a minute (${provider}).` : `Empty: no limit for ${provider}.`}
          />
          <FormField
            {...common}
            name="maxConnections"
            id="limits-connections"
            label="Connections at once"
            placeholder={String(d.connections)}
            hint={`Empty: ${d.connections} (${provider}${limits.provider === 'graph' ? ', concurrent requests' : ''}), shared by all Mailroom processes.`}
          />
          <FormField
            {...common}
            name="dailyRecipientLimit"
            id="limits-daily"
            label="Recipients per day"
            placeholder={d.dailyRecipients ? String(d.dailyRecipients) : 'Unknown'}
            hint={
              d.dailyRecipients
                ? `Empty: ${fmt(d.dailyRecipients)} in 24 hours (${provider}). The Overview warns as the count approaches it.`
                : 'Enter your provider’s daily limit, if it has one, and the Overview warns as the count approaches it.'
            }
          />
          <FormField
            {...common}
            name="maxAttempts"
            id="limits-attempts"
            label="Attempts per message"
            hint="A message that keeps failing temporarily is marked failed after this many attempts (8 spread over about a day)."
          />
        </div>
        {outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : null}
        {canEdit ? (
          <div className="flex justify-end">
            <Button type="submit" disabled={!form.formState.isDirty || form.formState.isSubmitting}>
              {form.formState.isSubmitting ? 'Saving…' : 'Save limits'}
            </Button>
          </div>
        ) : null}
      </form>
    </Section>
  );
}
