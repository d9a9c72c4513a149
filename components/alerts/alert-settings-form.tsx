'use client';

import { useRouter } from 'next/navigation';
import type { Path } from 'react-hook-form';
import { saveAlertSettingsAction } from '@/app/(console)/alerts/actions';
import { FormField } from '@/components/forms/form-field';
import { useActionForm } from '@/components/forms/use-action-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import type { AlertSettingsInput } from '@/lib/validation/alerts';

type NumberField = { name: Path<AlertSettingsInput>; label: string; hint?: string; min: number; max: number };

const GROUPS: { title: string; fields: NumberField[] }[] = [
  {
    title: 'Sign-in',
    fields: [
      {
        name: 'keepAliveDays',
        label: 'Token keep-alive after (days)',
        hint: 'A refresh token unused this long is refreshed, so idle stores stay connected. 0 turns it off.',
        min: 0,
        max: 80,
      },
      {
        name: 'tokenIdleDays',
        label: 'Alert when a refresh token is unused for (days)',
        hint: 'Microsoft revokes refresh tokens after 90 days without use.',
        min: 1,
        max: 89,
      },
    ],
  },
  {
    title: 'Sending',
    fields: [
      { name: 'failedInRow', label: 'Alert when this many notifications in a row failed', min: 1, max: 50 },
      { name: 'failureRatePercent', label: '… or when this share failed (%)', min: 1, max: 100 },
      {
        name: 'failureWindowMinutes',
        label: '… within the last (minutes)',
        hint: 'The share is judged on at least 10 sends.',
        min: 5,
        max: 1440,
      },
    ],
  },
  {
    title: 'Queue',
    fields: [
      { name: 'backlogCount', label: 'Alert when this many messages wait in a store’s queue', min: 1, max: 100_000 },
      { name: 'oldestQueuedMinutes', label: '… or the oldest has waited (minutes)', min: 1, max: 10_080 },
    ],
  },
];

export function AlertSettingsForm({ values, canEdit }: { values: AlertSettingsInput; canEdit: boolean }) {
  const router = useRouter();
  const { form, outcome, onSubmit } = useActionForm({
    schema: () => import('@/lib/validation/alerts').then((m) => m.alertSettingsSchema),
    defaultValues: values,
    action: saveAlertSettingsAction,
    onSuccess: (res, saved, f) => {
      f.reset({ ...saved, version: res.data?.version ?? saved.version });
      router.refresh();
    },
  });
  const number = (f: NumberField) => (
    <FormField
      key={f.name}
      form={form}
      name={f.name}
      id={`alerts-${f.name}`}
      label={f.label}
      hint={f.hint}
      type="number"
      inputMode="numeric"
      min={f.min}
      max={f.max}
      registerOptions={{ valueAsNumber: true }}
    />
  );

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-5">
      {outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.message}</Alert> : null}
      <fieldset disabled={!canEdit} className="space-y-5">
        <Checkbox
          id="alerts-enabled"
          label="Send alerts"
          hint="Conditions are checked every 5 minutes on every identity store."
          {...form.register('enabled')}
        />
        <div className="max-w-xs">
          {number({
            name: 'repeatMinutes',
            label: 'Repeat every (minutes)',
            hint: 'While a condition lasts, its alert is sent again after this long.',
            min: 5,
            max: 10_080,
          })}
        </div>
        {GROUPS.map((g) => (
          <div key={g.title} className="space-y-3">
            <h3 className="text-sm font-semibold text-slate-700 dark:text-slate-300">{g.title}</h3>
            <div className="grid gap-4 md:grid-cols-3">{g.fields.map(number)}</div>
          </div>
        ))}
      </fieldset>
      {canEdit ? (
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? 'Saving…' : 'Save alert settings'}
        </Button>
      ) : null}
    </form>
  );
}
