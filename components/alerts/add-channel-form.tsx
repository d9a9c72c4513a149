'use client';

import { useRouter } from 'next/navigation';
import { addAlertChannel } from '@/app/(console)/alerts/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CHANNEL_KINDS, CHANNEL_LABELS } from '@/lib/alerts/kinds';
import type { AlertChannelInput } from '@/lib/validation/alerts';

const EMPTY: AlertChannelInput = {
  kind: 'email',
  name: '',
  recipients: '',
  storeId: '',
  fallbackStoreId: '',
  url: '',
  signingSecret: '',
};

const URL_HINTS: Record<string, string> = {
  webhook: 'Receives a JSON body signed with HMAC-SHA256 in the X-Mailroom-Signature header.',
  teams: 'From the Teams workflow “Post to a channel when a webhook request is received”.',
  slack: 'From the Slack app’s Incoming Webhooks page (https://hooks.slack.com/services/…).',
};

export function AddChannelForm({ stores }: { stores: { id: string; name: string }[] }) {
  const router = useRouter();
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/alerts').then((m) => m.alertChannelSchema),
    defaultValues: EMPTY,
    action: addAlertChannel,
    onSuccess: (_res, values, f) => {
      f.reset({ ...EMPTY, kind: values.kind });
      router.refresh();
    },
  });
  const kind = form.watch('kind');
  const storeOptions = [{ value: '', label: 'Choose a store' }, ...stores.map((s) => ({ value: s.id, label: s.name }))];

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a channel">
      {outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : null}
      <div className="grid gap-4 md:grid-cols-2">
        <FormField
          form={form}
          name="kind"
          id="channel-kind"
          label="Kind"
          options={CHANNEL_KINDS.map((k) => ({ value: k, label: CHANNEL_LABELS[k] }))}
        />
        <FormField form={form} name="name" id="channel-name" label="Name" placeholder="Helpdesk admins" maxLength={80} />
      </div>
      {kind === 'email' ? (
        <div className="grid gap-4 md:grid-cols-2">
          <FormField
            form={form}
            name="recipients"
            id="channel-recipients"
            label="Admin addresses"
            hint="Separated by “;”."
            placeholder="it-admins@example.com"
            className="md:col-span-2"
          />
          <FormField
            form={form}
            name="storeId"
            id="channel-store"
            label="Send through"
            hint="The identity store whose saved settings send the alert."
            options={storeOptions}
          />
          <FormField
            form={form}
            name="fallbackStoreId"
            id="channel-fallback"
            label="Fallback store"
            hint="Used when the first store is the broken one, or fails to send."
            options={[{ value: '', label: 'None' }, ...storeOptions.slice(1)]}
          />
        </div>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <FormField
            form={form}
            name="url"
            id="channel-url"
            label="Webhook URL"
            hint={`${URL_HINTS[kind] ?? ''} Stored encrypted and never shown again.`}
            type="url"
            autoComplete="off"
            placeholder="https://…"
            className="md:col-span-2"
          />
          {kind === 'webhook' ? (
            <FormField
              form={form}
              name="signingSecret"
              id="channel-signing-secret"
              label="Signing secret"
              hint="At least 16 characters; the receiver checks each signature with it. Stored encrypted."
              type="password"
              autoComplete="new-password"
            />
          ) : null}
        </div>
      )}
      <Button type="submit" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? 'Adding…' : 'Add channel'}
      </Button>
    </form>
  );
}
